"""行政执法公示 (disclosure): de-identification now; the portal and publication pipeline follow."""
