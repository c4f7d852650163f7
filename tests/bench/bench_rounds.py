"""What the Python benchmark drivers (core_bench.py, email_bench.py, sms_bench.py, social_bench.py,
growth_bench.py, erasure_bench.py, metrics_bench.py, cluster_bench.py) share: the common options, running the
rounds, the median and range (min-max) of each figure over them, and writing the JSON figures.

Every figure of a benchmark is summarized the same way, so that a reader can tell a difference
between two runs from the spread of one: bench-results/NAME.json holds "figures" (each name ->
{"median", "min", "max"}) and "rounds" (every round's raw figures)."""

import argparse
import json
import os
import statistics
import subprocess
import tempfile

# A figure from one round needs the others to say how far it moves on a shared machine.
MIN_ROUNDS = 3


def add_common_args(ap, rounds=MIN_ROUNDS):
    ap.add_argument("--rounds", type=int, default=rounds,
                    help=f"rounds; median and range over them (default {rounds}; fewer only for a quick look)")
    ap.add_argument("--workdir", required=True, help="temporary databases and sockets (keep it on a real disk)")
    ap.add_argument("--json", required=True, help="where the figures go")


def parse_binary_driver(description, binary_help):
    """The options of a driver that runs one benchmark binary per round (core_bench.py,
    cluster_bench.py): --binary, --unifier and the common ones; every other option goes to the
    binary. Returns (args, binary_args), or None after printing --help (the binary's too)."""
    ap = argparse.ArgumentParser(description=description, add_help=False)
    ap.add_argument("--binary", required=True, help=binary_help)
    ap.add_argument("--unifier", required=True, help="omnihub-unifier")
    add_common_args(ap)
    args, binary_args = ap.parse_known_args()
    if "--help" in binary_args or "-h" in binary_args:
        ap.print_help()
        print(f"\nEvery other option goes to {os.path.basename(args.binary)}:\n", flush=True)
        subprocess.run([args.binary, "--help"], check=True)
        return None
    return args, binary_args


def binary_round(args, binary_args, name, number):
    """One round of args.binary (its own JSON figures, written to a temporary file), with the
    one-minute load average at its end."""
    with tempfile.NamedTemporaryFile(prefix=f"{name}-round-{number}-", suffix=".json", dir=args.workdir) as out:
        subprocess.run([args.binary, "--unifier", args.unifier, "--workdir", args.workdir, "--json", out.name,
                        *binary_args], check=True)
        with open(out.name) as f:
            figures = json.load(f)
    figures["load_average"] = os.getloadavg()[0]
    return figures


def run_rounds(args, one_round, describe):
    """Runs one_round(number) args.rounds times, printing describe(figures) after each."""
    if args.rounds < 1:
        raise SystemExit("--rounds must be at least 1")
    if args.rounds < MIN_ROUNDS:
        print(f"warning: {args.rounds} round(s): the range of each figure needs at least {MIN_ROUNDS}", flush=True)
    os.makedirs(args.workdir, exist_ok=True)
    rounds = []
    for r in range(args.rounds):
        rounds.append(one_round(r))
        print(f"round {r + 1}: {describe(rounds[-1])}", flush=True)
    return rounds


def median(rounds, figure):
    """The median over the rounds of figure(round)."""
    return statistics.median(figure(x) for x in rounds)


def spread(values):
    """{"median", "min", "max"} of the values."""
    values = list(values)
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def summarize(rounds, figures):
    """figures: name -> figure(round). Returns name -> {"median", "min", "max"} over the rounds."""
    return {name: spread(figure(x) for x in rounds) for name, figure in figures.items()}


def format_value(v):
    return f"{v:.0f}" if abs(v) >= 100 else f"{v:.3g}"


def format_figures(figures):
    """One line per figure: 'name  median (min-max)'."""
    width = max((len(name) for name in figures), default=0)
    return "\n".join(f"{name:<{width}}  {format_value(f['median'])} ({format_value(f['min'])}-{format_value(f['max'])})"
                      for name, f in figures.items())


def write_result(path, result):
    """Writes the figures (with every round's) as JSON; prints each summarized figure as
    median (range) when there are any, and the rest without the rounds."""
    with open(path, "w") as f:
        json.dump(result, f, indent=2)
    if "figures" in result:
        print("median (min-max) over the rounds:")
        print(format_figures(result["figures"]))
    rest = {k: v for k, v in result.items() if k not in ("rounds", "figures")}
    print(json.dumps(rest, indent=2))
