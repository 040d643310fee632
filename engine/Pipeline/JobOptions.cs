using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Grouping;

namespace SSIS.Batch.Engine.Pipeline;

/// <summary>What one run does, already validated (the YAML layer builds it).</summary>
public sealed record JobOptions(
    ITrackCatalog Catalog,
    string OutputFolder,
    string StateFolder,
    int Workers,
    GroupingMode GroupingMode,
    double DurationToleranceSeconds,
    string FfprobePath = "ffprobe");

public static class Workers
{
    /// <summary>80 % of the cores this process may use, at least one.</summary>
    public static int Default => Math.Max(1, (int)Math.Floor(0.8 * Environment.ProcessorCount));
}
