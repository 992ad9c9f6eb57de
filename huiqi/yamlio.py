"""YAML loading for the rule tables: booleans are only true/false (as in YAML 1.2).

PyYAML follows YAML 1.1, where an unquoted `no`, `yes`, `on` or `off` is a boolean — so a
table's `{no: "1", title: …}` would silently lose its `no` key. Our tables use `no` for a
measure's number, so we resolve those words as plain strings.
"""
from __future__ import annotations

import re

import yaml


# libyaml's parser where PyYAML was built with it (loads the tables ~10x faster: the action
# server's start-up); the resolver stays PyYAML's, so the rules below hold for both.
class TableLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


# Dates stay strings too: PyYAML raises a bare ValueError on "2023-02-30"; the table
# validator parses them and names the field instead.
TableLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
TableLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def load(text: str):
    return yaml.load(text, Loader=TableLoader)
