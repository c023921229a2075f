"""Case handling (执法办案). So far: the deadline arithmetic of the law (``deadlines``)."""
