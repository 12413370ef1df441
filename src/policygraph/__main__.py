"""``python -m policygraph``: the same as the ``policygraph`` command."""

from policygraph.cli import main

if __name__ == "__main__":
    main()
