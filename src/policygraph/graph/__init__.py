"""Records → RDF: the vocabulary and IRI minting, the one module that writes triples, and the
checks (SHACL) the resulting graph must pass."""
