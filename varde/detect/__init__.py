"""Detection: normalise text, identify its language, and decide whether a post is an order."""

from varde.detect.classifier import Detection, Detector, load_detector
from varde.detect.language import detect_language, detect_languages
from varde.detect.normalise import clean, model_text

__all__ = ["Detection", "Detector", "clean", "detect_language", "detect_languages", "load_detector", "model_text"]
