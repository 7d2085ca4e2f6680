"""The solver of a siting: spopt's MCLP and LSCP over a coverage matrix, solved with CBC.

- **MCLP** (maximal covering): the sites among K that bring the most weight into
  the walk.
- **LSCP** (set covering): the fewest sites that bring every community into the walk.

spopt wants a cost matrix: a pair beyond the walk gets a finite cost past the
radius, since a NaN or an infinity in the matrix breaks CBC (spopt issue 396).
"""

from __future__ import annotations

import threading
import time

import numpy as np

from layers.analysis.siting.errors import Progress, SitingError

#: CBC stops after this long and keeps its best plan (said as "not proven best").
SOLVE_SECONDS = 600
#: Up to this many community × site pairs, spopt's ``from_cost_matrix`` builds the model.
DENSE_PAIRS = 50_000


def _cost_matrix(cover: np.ndarray, reach_m: float) -> np.ndarray:
    """Return a finite cost matrix for spopt: 0 within the walk, beyond the radius else.

    Pairs beyond the walk get a finite cost past the radius, never NaN or inf,
    which break CBC (spopt issue 396).
    """
    return np.where(cover, 0.0, 2.0 * reach_m + 1.0)


def _solver():  # noqa: ANN202 - a pulp solver
    import pulp

    solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=SOLVE_SECONDS)
    if not solver.available():
        raise SitingError("the CBC solver bundled with pulp does not run on this machine")
    return solver


def solve_mclp(cover: np.ndarray, weights: np.ndarray, count: int, reach_m: float,
               progress: Progress | None) -> tuple[np.ndarray, bool] | None:
    """Return the ``count`` sites that bring the most weight into the walk.

    Parameters
    ----------
    cover : ndarray of bool
        Shape (communities, sites): which site serves which community.
    weights : ndarray
        What covering each community is worth.
    count : int
        How many sites to open.
    reach_m : float
        The walk's reach in metres.
    progress : callable, optional
        ``progress(seconds, 0)`` while CBC runs; returning False cancels.

    Returns
    -------
    tuple of (ndarray of int, bool) or None
        The columns opened, and whether CBC proved the plan the best; None when
        cancelled.
    """
    return _solve(_mclp_model(cover, weights, count, reach_m), progress)


def solve_lscp(cover: np.ndarray, reach_m: float,
               progress: Progress | None) -> tuple[np.ndarray, bool] | None:
    """Return the fewest sites that bring every community into the walk.

    As :func:`solve_mclp`, with no weights and no count: every community of
    ``cover`` must be reachable by some site.
    """
    return _solve(_lscp_model(cover, reach_m), progress)


def _chosen(model: object) -> np.ndarray:
    """Return the columns the solved model opens."""
    return np.array([j for j, v in enumerate(model.fac_vars) if (v.value() or 0) > 0.5],
                    dtype=int)


def _mclp_model(cover: np.ndarray, weights: np.ndarray, count: int, reach_m: float,
                dense_pairs: int | None = None) -> object:
    """Return spopt's MCLP for a coverage matrix.

    Up to :data:`DENSE_PAIRS` pairs it is ``MCLP.from_cost_matrix``. That method
    writes every pair into the model, zeros too (2.9 million terms and 90 s for
    1,800 communities × 1,600 sites), so a larger one is built the same way
    from the pairs within reach only: the same variables, objective and
    constraints, and the same ``MCLP`` object to solve.
    """
    import pulp
    from spopt.locate import MCLP
    from spopt.locate.base import FacilityModelBuilder

    n, m = cover.shape
    if n * m <= (DENSE_PAIRS if dense_pairs is None else dense_pairs):
        return MCLP.from_cost_matrix(_cost_matrix(cover, reach_m), weights, reach_m, count)
    model = MCLP("mclp", pulp.LpProblem("mclp", pulp.LpMaximize))
    FacilityModelBuilder.add_facility_integer_variable(model, range(m), "x[{i}]")
    FacilityModelBuilder.add_client_integer_variable(model, range(n), "y[{i}]")
    model.aij = cover.astype(float)
    x, y = model.fac_vars, model.cli_vars
    model.problem += (pulp.LpAffineExpression(
        [(y[i], float(w)) for i, w in enumerate(weights)]), "objective function")
    for i in range(n):
        model.problem += pulp.LpAffineExpression(
            [(x[j], 1) for j in np.nonzero(cover[i])[0]]) >= y[i]
    FacilityModelBuilder.add_facility_constraint(model, count)
    return model


def _lscp_model(cover: np.ndarray, reach_m: float, dense_pairs: int | None = None) -> object:
    """Return spopt's LSCP for a coverage matrix (see :func:`_mclp_model` for the size)."""
    import pulp
    from spopt.locate import LSCP
    from spopt.locate.base import FacilityModelBuilder

    n, m = cover.shape
    if n * m <= (DENSE_PAIRS if dense_pairs is None else dense_pairs):
        return LSCP.from_cost_matrix(_cost_matrix(cover, reach_m), reach_m)
    model = LSCP("lscp", pulp.LpProblem("lscp", pulp.LpMinimize))
    FacilityModelBuilder.add_facility_integer_variable(model, range(m), "y[{i}]")
    model.aij = cover.astype(float)
    x = model.fac_vars
    for i in range(n):
        model.problem += pulp.LpAffineExpression(
            [(x[j], 1) for j in np.nonzero(cover[i])[0]]) >= 1
    model.problem += pulp.lpSum(x), "objective function"
    return model


def _solve(model: object, progress: Progress | None) -> tuple[np.ndarray, bool] | None:
    """Solve a spopt model with CBC, reporting while it runs; None when cancelled.

    Returns the columns the plan opens, and whether CBC proved it the best (not
    when it stopped at its time limit with a good plan).

    CBC runs as a child process that cannot be interrupted midway: a cancelled
    solve is left to end on its own (within :data:`SOLVE_SECONDS`) and its plan
    is dropped.
    """
    import pulp

    solver = _solver()
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["model"] = model.solve(solver, results=False)
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="cbc-siting", daemon=True)
    thread.start()
    start = time.monotonic()
    while thread.is_alive():
        thread.join(0.1)
        if progress is not None and not progress(int(time.monotonic() - start), 0):
            return None
    if "error" in outcome:
        exc = outcome["error"]
        if isinstance(exc, RuntimeError | pulp.PulpSolverError):
            raise SitingError(f"the solver found no plan: {str(exc).splitlines()[0]}") from None
        raise exc
    return _chosen(model), getattr(model.problem, "sol_status", 1) == pulp.LpSolutionOptimal
