"""Walking presets: how far a planner's N-minute walk reaches in a straight line.

straight-line radius = speed (m/min) × minutes ÷ detour factor.
Every value is a setting the planner can see and change (PLANNING-FACTS.md).
"""

from __future__ import annotations

from dataclasses import dataclass

#: GB 50180-2018 life-circle radii in metres, by minutes.
GB50180_RADII = {5: 300.0, 10: 500.0, 15: 1000.0}


@dataclass(frozen=True)
class WalkSettings:
    """How a walk time becomes a ground distance.

    Attributes
    ----------
    preset : str
        ``"gb50180"``, ``"walk"``, ``"elderly"`` or ``"custom"``.
    speed_m_per_min : float
        Walking speed along real paths.
    detour : float
        Path length ÷ straight-line distance.
    """

    preset: str = "gb50180"
    speed_m_per_min: float = 80.0
    detour: float = 1.6

    def radius_m(self, minutes: float) -> float:
        """Return the straight-line radius of a walk of ``minutes``.

        The GB 50180 preset uses the standard's radii for 5, 10 and 15 minutes
        (300, 500, 1000 m) and 80 m/min ÷ 1.6 for other times.

        Parameters
        ----------
        minutes : float
            Walk time.

        Returns
        -------
        float
            Metres on the ground.
        """
        if minutes <= 0:
            raise ValueError("walk time must be positive")
        if self.preset == "gb50180" and float(minutes) in GB50180_RADII:
            return GB50180_RADII[float(minutes)]
        return self.speed_m_per_min * minutes / self.detour

    def describe(self, minutes: float) -> str:
        """Return the parameters as shown in a layer name and legend.

        Parameters
        ----------
        minutes : float
            Walk time.

        Returns
        -------
        str
            E.g. ``"10 min · GB 50180 · 500 m"``.
        """
        r = self.radius_m(minutes)
        label = {"gb50180": "GB 50180", "walk": "步行", "elderly": "老年人"}.get(self.preset,
                                                                              "自定义")
        if self.preset == "gb50180" and float(minutes) in GB50180_RADII:
            detail = ""
        else:
            detail = f" · {self.speed_m_per_min:g} m/min ÷ {self.detour:g}"
        return f"{minutes:g} min · {label}{detail} · {r:.0f} m"


PRESETS: dict[str, WalkSettings] = {
    "gb50180": WalkSettings("gb50180", 80.0, 1.6),
    "walk": WalkSettings("walk", 80.0, 1.25),
    "elderly": WalkSettings("elderly", 60.0, 1.25),
}


def walk_settings(preset: str = "gb50180", speed: float | None = None,
                  detour: float | None = None) -> WalkSettings:
    """Return a preset, with speed or detour overridden (which makes it custom).

    Parameters
    ----------
    preset : str
        Preset name.
    speed : float, optional
        Metres per minute.
    detour : float, optional
        Detour factor (≥ 1).

    Returns
    -------
    WalkSettings
        The settings.
    """
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}: choose gb50180, walk or elderly")
    base = PRESETS[preset]
    if speed is None and detour is None:
        return base
    speed = base.speed_m_per_min if speed is None else float(speed)
    detour = base.detour if detour is None else float(detour)
    if speed <= 0 or detour < 1:
        raise ValueError("speed must be positive and detour at least 1")
    return WalkSettings("custom", speed, detour)
