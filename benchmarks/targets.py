"""How the benchmarks report their targets: one PASS/FAIL line each, and whether all were met."""


def verdicts(checks):
    """Print (label, passed) pairs under "Targets"; True when every target passed."""
    print("\nTargets")
    for label, passed in checks:
        print(f"  {'PASS' if passed else 'FAIL'}  {label}")
    return all(passed for _label, passed in checks)
