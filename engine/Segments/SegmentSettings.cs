namespace SSIS.Batch.Engine.Segments;

/// <summary>YAML <c>segments:</c>: which files are segmented whole (<c>files</c>), and the segmenter's parameters.</summary>
public sealed record SegmentSettings(SegmentFiles Files = SegmentFiles.None, SegmentOptions? Options = null)
{
    public SegmentOptions Parameters => Options ?? new SegmentOptions();
}
