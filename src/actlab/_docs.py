"""Docstrings generated from a spec: one definition per fact."""

from __future__ import annotations

from .registry import Spec, resolve_claims

PEER_NAMES = {"PT": "PyTorch", "JX": "JAX", "KS": "Keras", "NL": "NNlib.jl", "TF": "TensorFlow",
              "ZT": "ztlearn", "WP": "Wikipedia table"}


def docstring(spec: Spec) -> str:
    lines = [spec.summary, ""]
    f, df, d2f = (list(spec.latex) + ["", "", ""])[:3]
    lines += [".. math::", "", f"    f(x) = {f}", ""]
    if df:
        lines += [".. math::", "", f"    f'(x) = {df}" if spec.elementwise else f"    {df}", ""]
    if d2f:
        lines += [".. math::", "", f"    f''(x) = {d2f}", ""]
    lines += ["Parameters", "----------", "x : array", "    Pre-activations (NumPy or any Array-API array)."]
    for p in spec.params:
        learn = ", learnable" if p.learnable else ""
        lines += [f"{p.name} : default {p.default!r}{learn}", f"    {p.doc + '; ' if p.doc else ''}{p.allowed}."]
    if spec.stochastic:
        lines += ["training : bool, default True", "    Draw noise (training) or run the deterministic eval mode.",
                  "rng : numpy.random.Generator, int or None", "    Source of the noise."]
    claims = resolve_claims(spec.props, {p.name: p.default for p in spec.params})
    lines += ["", "Notes", "-----", f"Kind {spec.kind}, family {spec.family} ({spec.group}). "
              f"Range {claims['range']}; continuity C^{claims['continuity']}; "
              f"monotonic: {claims['monotonic']}."]
    if spec.kinks:
        lines.append(f"Kinks: {spec.kinks if not callable(spec.kinks) else 'depend on the parameters'}.")
    if spec.notes:
        lines.append(spec.notes)
    if spec.peers:
        lines += ["", "Peers: " + "; ".join(f"{PEER_NAMES.get(k, k)}: {v}" for k, v in spec.peers.items()) + "."]
    if spec.aliases:
        lines += ["", "Aliases: " + ", ".join(spec.aliases) + "."]
    if spec.references:
        lines += ["", "References", "----------"] + [f"- {r}" for r in spec.references]
    return "\n".join(lines)
