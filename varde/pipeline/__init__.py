"""Orchestration: run stages over batches of records. Never touches the store or the web."""

from varde.pipeline.contract import Stage
from varde.pipeline.runner import Pipeline, StageFailure, build_pipeline
from varde.pipeline.stages import STAGES

__all__ = ["STAGES", "Pipeline", "Stage", "StageFailure", "build_pipeline"]
