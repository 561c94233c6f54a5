"""The authorisation matrix prints how many combinations it checked, in pytest's summary."""

from dataclasses import dataclass

import pytest


@dataclass
class MatrixReport:
    """Filled by tests/security/test_authorisation_matrix.py, printed at the end of the run."""

    combinations: int = 0  # route × persona × relation, each one request
    routes: int = 0  # URL patterns and OpenAPI operations
    object_routes: int = 0  # requested once per département's object
    personas: int = 0
    relations: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        return (
            f"authorisation matrix: {self.combinations} combinations (route × persona × "
            f"relation) checked in {self.seconds:.1f} s: {self.routes} routes "
            f"({self.object_routes} naming an object, requested in both départements), "
            f"{self.personas} personas, {self.relations} relations"
        )


_REPORT = pytest.StashKey[MatrixReport]()


@pytest.fixture
def matrix_report(request: pytest.FixtureRequest) -> MatrixReport:
    report = MatrixReport()
    request.config.stash[_REPORT] = report
    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    report = terminalreporter.config.stash.get(_REPORT, None)
    if report is not None and report.combinations:
        terminalreporter.write_sep("-", "authorisation matrix")
        terminalreporter.write_line(report.line())
