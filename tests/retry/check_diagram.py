#!/usr/bin/env python3
"""The rendered retry-loop diagram shows every state and transition of its
source: each line of every node and edge label of docs/retry-loop.dot is a
<text> of build/docs/retry-loop.svg, and the SVG has as many nodes and edges.

    check_diagram.py DOT SVG
"""
import re
import sys
import xml.etree.ElementTree as ET

SVG_NS = "{http://www.w3.org/2000/svg}"


def main(dot_path, svg_path):
    with open(dot_path, encoding="utf-8") as f:
        dot = f.read()
    labels = re.findall(r'^\s*\w+(?:\s*->\s*\w+)?\s*\[label="([^"]*)"', dot, re.M)
    nodes = len(re.findall(r'^\s*\w+\s+\[label=', dot, re.M))
    edges = len(re.findall(r'^\s*\w+\s*->\s*\w+', dot, re.M))
    root = ET.parse(svg_path).getroot()
    texts = {(t.text or "").strip() for t in root.iter(SVG_NS + "text")}
    groups = [g.get("class") for g in root.iter(SVG_NS + "g")]
    problems = [f"label line {line!r} is not in the picture"
                for label in labels for line in label.split("\\n") if line not in texts]
    if groups.count("node") != nodes:
        problems.append(f"{groups.count('node')} nodes drawn, {nodes} in the source")
    if groups.count("edge") != edges:
        problems.append(f"{groups.count('edge')} edges drawn, {edges} in the source")
    if nodes < 8 or edges < 15:  # guards the regexes against a source they cannot read
        problems.append(f"only {nodes} nodes and {edges} edges read from {dot_path}")
    for p in problems:
        print(f"{svg_path}: {p}")
    print(f"{nodes} nodes, {edges} edges, {len(labels)} labels, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
