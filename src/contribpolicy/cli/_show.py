"""``contribpolicy show POLICY [--resolved]``: a policy as the engine reads it, layers merged.

For a layered policy (``extends``) a reviewer needs the whole resolved policy and, for each rule,
the file it came from; without ``--resolved`` an outline of the rules is enough to see that.
The resolved YAML is itself a complete policy, with the same content hash.
"""

from __future__ import annotations

import argparse
import json
import re
import textwrap
from decimal import Decimal
from typing import Any

import yaml

from contribpolicy.cli._common import OK, Streams, with_policy
from contribpolicy.model.policy import Policy
from contribpolicy.support.tables import text_table

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def register(commands: Any) -> None:
    show = commands.add_parser(
        "show", help="print a policy with its layers merged, and where each rule came from"
    )
    show.add_argument("policy", metavar="POLICY")
    show.add_argument(
        "--resolved",
        action="store_true",
        help="the whole policy, layers merged (a complete policy file), not only an outline",
    )
    show.add_argument("--format", choices=("yaml", "json"), default="yaml")
    show.set_defaults(command=run)


@with_policy
def run(args: argparse.Namespace, streams: Streams, policy: Policy) -> int:
    if args.format == "json":
        document = _resolved_json(policy) if args.resolved else _outline(policy)
        streams.out.write(json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n")
    else:
        streams.out.write(_resolved_yaml(policy) if args.resolved else _outline_text(policy))
    return OK


def _origin(policy: Policy, rule_id: str) -> str:
    return str(policy.rule(rule_id).location)


def _header(policy: Policy) -> dict[str, Any]:
    return {
        "id": policy.id,
        "version": policy.version,
        "title": policy.title,
        "content_hash": policy.content_hash,
        "layers": list(policy.layers),
    }


def _outline(policy: Policy) -> dict[str, Any]:
    schemes = {
        name: {
            "label": scheme.label,
            "rules": [
                {"id": rule.id, "kind": rule.kind, "cite": rule.cite, "origin": str(rule.location)}
                for rule in scheme.rules
            ],
        }
        for name, scheme in policy.schemes.items()
    }
    return {**_header(policy), "schemes": schemes}


def _outline_text(policy: Policy) -> str:
    lines = [
        f"{policy.id} {policy.version} {policy.title}",
        f"layers: {' <- '.join(str(layer) for layer in policy.layers)}",
        f"content hash: {policy.content_hash}",
    ]
    for name, scheme in policy.schemes.items():
        lines.append(f"{name} ({scheme.label})")
        rows = [[rule.id, rule.kind, rule.cite, str(rule.location)] for rule in scheme.rules]
        lines += text_table(rows, indent=2)
    return "\n".join(lines) + "\n"


def _resolved_json(policy: Policy) -> dict[str, Any]:
    data = dict(policy.data)
    data["schemes"] = {
        name: {
            **scheme,
            "rules": [{**rule, "origin": _origin(policy, rule["id"])} for rule in scheme["rules"]],
        }
        for name, scheme in policy.data["schemes"].items()
    }
    return {**_header(policy), "policy": data}


class _Dumper(yaml.SafeDumper):
    """Writes numbers with a decimal point exactly and dates unquoted, so the output reads back
    as the same data (and content hash); small leaf values in flow style, as people write them.

    Collections less deep than ``block_depth`` are always in block style.
    """

    block_depth = 1
    depth = 0

    def represent_mapping(self, tag: str, mapping: Any, flow_style: Any = None) -> yaml.MappingNode:
        node: yaml.MappingNode = self._nested(super().represent_mapping, tag, mapping)
        short = len(node.value) <= 3 and all(_scalar(value) for _, value in node.value)
        node.flow_style = self.depth >= self.block_depth and short
        return node

    def represent_sequence(
        self, tag: str, sequence: Any, flow_style: Any = None
    ) -> yaml.SequenceNode:
        node: yaml.SequenceNode = self._nested(super().represent_sequence, tag, sequence)
        node.flow_style = self.depth >= self.block_depth and all(map(_scalar, node.value))
        return node

    def _nested(self, represent: Any, tag: str, value: Any) -> Any:
        self.depth += 1
        try:
            return represent(tag, value)
        finally:
            self.depth -= 1


class _RuleDumper(_Dumper):
    """A rule (an item of a list) in block style, its small parts in flow style."""

    block_depth = 2


def _scalar(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode)


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    text = format(value, "f")
    return dumper.represent_scalar("tag:yaml.org,2002:float", text if "." in text else text + ".0")


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if _DATE.match(value):
        return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value)
    return dumper.represent_str(value)


_Dumper.add_representer(Decimal, _decimal)
_Dumper.add_representer(str, _text)
# A loaded policy's data is read-only (model.frozen): dict and list subclasses, dumped as such.
_Dumper.add_multi_representer(dict, yaml.SafeDumper.represent_dict)
_Dumper.add_multi_representer(list, yaml.SafeDumper.represent_list)


def _dump(value: Any, indent: int, dumper: type[_Dumper] = _Dumper) -> str:
    text = yaml.dump(value, Dumper=dumper, allow_unicode=True, sort_keys=False, width=10_000)
    return textwrap.indent(text, " " * indent)


def _resolved_yaml(policy: Policy) -> str:
    layers = " <- ".join(str(layer) for layer in policy.layers)
    parts = [
        f"# {policy.id} {policy.version}, resolved from: {layers}\n",
        f"# content hash: {policy.content_hash}\n",
    ]
    for key, value in policy.data.items():
        if key != "schemes":
            parts.append(_dump({key: value}, 0))
            continue
        parts.append("schemes:\n")
        for name, scheme in value.items():
            parts.append(f"  {name}:\n")
            parts.append(_dump({k: v for k, v in scheme.items() if k != "rules"}, 4))
            parts.append("    rules:\n")
            for rule in scheme["rules"]:
                parts.append(f"      # from {_origin(policy, rule['id'])}\n")
                parts.append(_dump([rule], 6, _RuleDumper))
    return "".join(parts)
