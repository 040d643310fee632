using System.Diagnostics;
using SSIS.Batch.Engine.Errors;

namespace SSIS.Batch.Engine.Segments;

/// <summary>Which files are segmented whole (<c>segments.files</c>).</summary>
public enum SegmentFiles
{
    /// <summary>No file: the stage is off.</summary>
    None,
    /// <summary>
    /// Files the crop gate flags as speech or is unsure about, files too long for the crop analysis, and files it did not
    /// run on (analysis off); not files whose crop failed (corrupt, too short): the whole file would fail the same way.
    /// </summary>
    Speech,
    /// <summary>Every file.</summary>
    All,
}

/// <summary>
/// A file to segment: its catalog id and path, and what the crop analysis said of it (null when it skipped the file, or
/// failed on it: <paramref name="CropFailed"/>).
/// </summary>
public sealed record SegmentInput(long TrackId, string Path, double? CropSpeechProbability, bool TooLongForCrop, bool CropFailed = false);

/// <summary>One file's segments, or the typed error that stopped it (with the segments decoded before it).</summary>
public sealed record SegmentOutput(SegmentInput Input, SegmentationResult Result, double ElapsedMs);

/// <summary>
/// Whole-file segmentation as a stage: one input record in, one output record out; it knows nothing of the graph.
/// <see cref="Wants"/> is the <c>segments.files</c> rule: with <c>speech</c>, files the gate flags or doubts (crop
/// probability at or above <see cref="UnsureFrom"/>), files too long for the crop, and files the crop analysis did not
/// run on.
/// </summary>
public sealed class SegmentStage(FileSegmenter segmenter, SegmentFiles files = SegmentFiles.Speech)
{
    public const string Name = "segments";

    /// <summary>A crop speech probability from which the gate is unsure enough to look at the whole file.</summary>
    public const double UnsureFrom = 0.2;

    public string ModelVersion => segmenter.Model.Version;

    public bool Wants(SegmentInput input) =>
        files == SegmentFiles.All || input.TooLongForCrop || (!input.CropFailed && input.CropSpeechProbability is null or >= UnsureFrom);

    public SegmentOutput Segment(SegmentInput input, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        SegmentationResult result;
        try
        {
            result = segmenter.Segment(input.Path, cancellation);
        }
        catch (Exception e) when (e is not OperationCanceledException and not Audio.ToolNotFoundException)
        {
            result = new SegmentationResult(input.Path, 0, [], new SpeechVerdict(0, 0, false), UnexpectedErrors.From(e), ModelVersion);
        }
        return new SegmentOutput(input, result, clock.Elapsed.TotalMilliseconds);
    }
}
