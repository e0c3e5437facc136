"""actlab.torch against torch's own functions on CPU tensors, same threads.

For each function torch has (relu, gelu, silu, mish, sigmoid, tanh, softplus,
elu), float32, 2^17 and 2^24 elements: the median time of the forward and of
forward + backward (a gradient of ones), actlab.torch.function(name) against
torch.nn.functional, timed in turns; ratio torch time / actlab time (> 1:
actlab faster). Also the bytes saved for backward by each.

    python benchmarks/bench_bridges.py [--threads N] [--repeat 15] [--sizes 17,24]
"""

from __future__ import annotations

import argparse
import os
import statistics

import torch

import actlab
from actlab.torch import function

from bench_training import cpu_line, epoch_times

F = torch.nn.functional
PEERS = {"relu": F.relu, "gelu": F.gelu, "silu": F.silu, "mish": F.mish, "sigmoid": torch.sigmoid,
         "tanh": torch.tanh, "softplus": F.softplus, "elu": F.elu}


def timed_in_turns(fns, repeat):
    """Median seconds of each function, timed in turns."""
    return [statistics.median(ts) for ts in epoch_times(fns, repeat)]


def saved_bytes(fn, x):
    total = []
    with torch.autograd.graph.saved_tensors_hooks(lambda t: total.append(t.nelement() * t.element_size()) or t,
                                                  lambda t: t):
        fn(x).sum().backward()
    return sum(total)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--sizes", default="17,24", help="powers of two")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    actlab.set_num_threads(args.threads)
    print(cpu_line())
    print(f"torch {torch.__version__}, {args.threads} threads, float32; ratio = torch time / actlab.torch time")
    print(f"{'function':9} {'n':>5} {'forward':>8} {'fwd+bwd':>8} {'saved bytes actlab / torch':>28}")
    for p in map(int, args.sizes.split(",")):
        n = 1 << p
        x = torch.randn(n)
        xg = x.clone().requires_grad_()
        for name, peer in PEERS.items():
            ours = function(name)

            def fwd(f):
                return lambda: f(x)

            def both(f):
                def run():
                    xg.grad = None
                    f(xg).backward(torch.ones_like(x))
                return run
            ta, tt = timed_in_turns([fwd(ours), fwd(peer)], args.repeat)
            ba, bt = timed_in_turns([both(ours), both(peer)], args.repeat)
            mem = f"{saved_bytes(ours, xg):,} / {saved_bytes(peer, xg):,}"
            print(f"{name:9} 2^{p:<3} {tt / ta:8.2f} {bt / ba:8.2f} {mem:>28}", flush=True)


if __name__ == "__main__":
    main()
