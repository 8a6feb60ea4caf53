#!/usr/bin/python3
"""Validate listen's JSON output against doc/listen.schema.json.

Usage: validate.py SCHEMA FILE          one document: a socket array, an audit review or
                                        -s's summaries
       validate.py SCHEMA --lines FILE  JSON Lines: each line one socket object (or summary)
       validate.py SCHEMA --events FILE JSON Lines of --watch: each line one event object
Prints the first error and exits 1 when the output does not match.
"""
import json
import sys

import jsonschema


def main():
    schema = json.load(open(sys.argv[1]))
    lines = sys.argv[2] in ("--lines", "--events")
    path = sys.argv[3] if lines else sys.argv[2]
    jsonschema.Draft202012Validator.check_schema(schema)
    whole = jsonschema.Draft202012Validator(schema)
    # Check against the definition the document claims to be, for errors that say where.
    defs = {list: "sockets", dict: "audit"}
    with open(path, encoding="utf-8", errors="strict") as f:
        docs = [line for line in f] if lines else [f.read()]
    if lines and not docs:
        return 0
    for n, text in enumerate(docs, 1):
        try:
            doc = json.loads(text)
        except ValueError as e:
            print(f"{path}:{n}: not JSON: {e}")
            return 1
        ref = {"--lines": "socket", "--events": "event"}.get(sys.argv[2]) or \
            defs.get(type(doc), "sockets")
        # -s's summaries: an array of them, or one per line.
        first = doc[0] if isinstance(doc, list) and doc else doc
        if isinstance(first, dict) and "transport" in first:
            ref = "summary" if isinstance(doc, dict) else "summaries"
        one = {k: v for k, v in schema.items() if k != "oneOf"}
        part = jsonschema.Draft202012Validator(dict(one, **{"$ref": "#/$defs/" + ref}))
        error = jsonschema.exceptions.best_match(part.iter_errors(doc))
        if error:
            where = "/".join(str(p) for p in error.absolute_path)
            print(f"{path}:{n}: at /{where}: {error.message[:200]}")
            return 1
        if not lines and not whole.is_valid(doc):
            print(f"{path}: not valid under the whole schema")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
