using System.Diagnostics;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.FeaturePacks;

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

/// <summary>
/// One file's segments, or the typed error that stopped it (with the segments decoded before it); from the same decode,
/// the blocks its preview is chosen from and, when asked for, its feature pack (both null when it has no segments).
/// </summary>
public sealed record SegmentOutput(SegmentInput Input, SegmentationResult Result, double ElapsedMs, PreviewBlocks? PreviewBlocks = null,
    FeaturePackOutcome? Pack = null);

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

    private long _filesOpened;

    public string ModelVersion => segmenter.Model.Version;

    /// <summary>Audio files decoded so far: one per file, three for a damaged file whose pack was asked for.</summary>
    public long FilesOpened => Interlocked.Read(ref _filesOpened);

    public bool Wants(SegmentInput input) =>
        files == SegmentFiles.All || input.TooLongForCrop || (!input.CropFailed && input.CropSpeechProbability is null or >= UnsureFrom);

    public SegmentOutput Segment(SegmentInput input, CancellationToken cancellation = default) => Segment(input, null, cancellation);

    /// <summary>
    /// Segments the file and, from the same decode, collects its preview blocks and writes its pack with
    /// <paramref name="packs"/> (none when null): the file is decoded once for the three.
    /// </summary>
    public SegmentOutput Segment(SegmentInput input, FeaturePackStage? packs, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        var blocks = new PreviewBlockAccumulator(withSpectrum: true);
        using var pack = packs?.Begin(new FeaturePackInput(input.TrackId, input.Path));
        var taps = new WholeFileTaps(blocks.Push, FeaturePackLayout.SampleRateHz, pack is null ? null : pack.Push);
        SegmentationResult result;
        Interlocked.Increment(ref _filesOpened);
        try
        {
            result = segmenter.Segment(input.Path, taps, cancellation);
        }
        catch (Exception e) when (e is not OperationCanceledException and not Audio.ToolNotFoundException)
        {
            result = new SegmentationResult(input.Path, 0, [], new SpeechVerdict(0, 0, false), UnexpectedErrors.From(e), ModelVersion);
        }
        if (pack is not null && taps.DecodeFailure is not null)
        {
            // ffmpeg stopping at damage drops what its muxer still held of either rate, so a damaged file is read again
            // one rate at a time: its segments, preview and pack then end where a decode of their own ends.
            pack.Dispose();
            var alone = Segment(input, null, cancellation);
            Interlocked.Increment(ref _filesOpened);
            return alone with { ElapsedMs = clock.Elapsed.TotalMilliseconds, Pack = alone.PreviewBlocks is null ? null : packs!.Write(pack.Input, cancellation) };
        }
        if (result.Segments.Count == 0) return new SegmentOutput(input, result, clock.Elapsed.TotalMilliseconds);
        return new SegmentOutput(input, result, clock.Elapsed.TotalMilliseconds, blocks.Finish(), pack?.Finish(taps.DecodeFailure));
    }
}
