"""``python -m policygraph``: the same as the ``policygraph`` command."""

from .cli import main

if __name__ == "__main__":
    main()
