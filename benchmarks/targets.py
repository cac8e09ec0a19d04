"""How the benchmarks report their targets: one PASS/FAIL line each, and whether all were met."""


def verdicts(checks):
    """Print (label, passed) pairs under "Targets"; True when every target passed."""
    print("\nTargets")
    for label, passed in checks:
        print(f"  {'PASS' if passed else 'FAIL'}  {label}")
    return all(passed for _label, passed in checks)


def recreate_database(maintenance_url, name, create):
    """Drop the benchmark's own PostgreSQL database `name` (forcing its connections off), and create it again."""
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if create:
            connection.execute(f"CREATE DATABASE {name}")
