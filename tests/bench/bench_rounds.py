"""What the Python benchmark drivers (email_bench.py, sms_bench.py) share: the common
options, running the rounds, medians over them, and writing the JSON figures."""

import json
import os
import statistics


def add_common_args(ap, rounds=3):
    ap.add_argument("--rounds", type=int, default=rounds)
    ap.add_argument("--workdir", required=True, help="temporary databases and sockets (keep it on a real disk)")
    ap.add_argument("--json", required=True, help="where the figures go")


def run_rounds(args, one_round, describe):
    """Runs one_round(number) args.rounds times, printing describe(figures) after each."""
    os.makedirs(args.workdir, exist_ok=True)
    rounds = []
    for r in range(args.rounds):
        rounds.append(one_round(r))
        print(f"round {r + 1}: {describe(rounds[-1])}", flush=True)
    return rounds


def median(rounds, figure):
    """The median over the rounds of figure(round)."""
    return statistics.median(figure(x) for x in rounds)


def write_result(path, result):
    """Writes the figures (with every round's) as JSON and prints them without the rounds."""
    with open(path, "w") as f:
        json.dump(result, f, indent=2)
    print(json.dumps({k: v for k, v in result.items() if k != "rounds"}, indent=2))
