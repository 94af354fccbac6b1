"""The ``[stats]`` section: how a group counts its members (new, active, silent, core) and its goals.

The definitions feed ``storage.repos.metrics.Definitions``; the goals are the lines the report, the
dashboard and the briefings measure against (the playbooks' 日发言率 ≥ 20 %, weekly participation ≥ 50 %,
30-day retention ≥ 60 %, 90-day ≥ 30 %).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:  # the config loads without the database layer (``qunbot check-config``)
    from storage.repos.metrics import Definitions


class StatsGoals(BaseModel):
    model_config = ConfigDict(extra="forbid")

    speak_rate: float = Field(default=0.20, ge=0, le=1)  # 日发言率
    weekly_participation: float = Field(default=0.50, ge=0, le=1)
    retention_30d: float = Field(default=0.60, ge=0, le=1)
    retention_90d: float = Field(default=0.30, ge=0, le=1)


class StatsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    new_days: int = Field(default=30, ge=1, le=366)  # 新成员：入群不满 N 天
    active_days: int = Field(default=7, ge=1, le=90)  # 活跃成员：近 N 天发过言
    silent_days: int = Field(default=30, ge=1, le=366)  # 沉默成员：近 N 天没发言（含从未发言）
    core_min_interactions: int = Field(default=3, ge=1)  # 核心成员：近 7 天互动 ≥ N 次
    cohort_weeks: int = Field(default=12, ge=1, le=104)  # 留存曲线：最近 N 个入群周
    goals: StatsGoals = StatsGoals()

    def definitions(self, tasks: list[str]) -> Definitions:
        from storage.repos.metrics import Definitions

        return Definitions(
            new_days=self.new_days,
            active_days=self.active_days,
            silent_days=self.silent_days,
            core_min_interactions=self.core_min_interactions,
            tasks=tuple(tasks),
            cohort_weeks=self.cohort_weeks,
        )
