"""The fact-check site generator: claims as YAML files, validated, rendered into a static site.

The modules are the pipeline, in order: model, load, history, catalogue, render, outputs, previews, write;
`pipeline` runs them, `cli` is the command line, and `mkdocs_hook` is the only code that knows MkDocs.
"""
