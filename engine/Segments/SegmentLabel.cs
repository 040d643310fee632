namespace SSIS.Batch.Engine.Segments;

/// <summary>What a stretch of a file holds. The order is the classifier's output order.</summary>
public enum SegmentLabel
{
    Speech,
    Music,
    Noise,
    Silence,
}

public static class SegmentLabels
{
    public static IReadOnlyList<SegmentLabel> All { get; } = Enum.GetValues<SegmentLabel>();

    public static int Count => All.Count;

    /// <summary>The label as written to segments.parquet.</summary>
    public static string Name(this SegmentLabel label) => label.ToString().ToLowerInvariant();
}

/// <summary>One stretch of a file with one label; <see cref="Confidence"/> is the mean smoothed probability of the label over it.</summary>
public sealed record Segment(double StartSeconds, double EndSeconds, SegmentLabel Label, double Confidence)
{
    public double DurationSeconds => EndSeconds - StartSeconds;
}
