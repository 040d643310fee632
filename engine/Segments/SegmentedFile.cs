using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Engine.Segments;

/// <summary>
/// A file after the segments stage in a run: its segmentation, from the state or computed now; when computed now, also
/// its preview and (when packs are on and the state has none for it) its feature pack, from the same decode, for the
/// previews and feature_packs steps to keep. Not stored: the state keeps each step's own result.
/// </summary>
public sealed record SegmentedFile(SegmentInput Input, SegmentationResult Result, bool FromCache, int Attempts = 1)
    : IFileOutcome<SegmentedFile>, ICachedResult
{
    public FileError? Error => Result.Error;

    public Preview? Preview { get; init; }

    public FeaturePacks.FeaturePackOutcome? Pack { get; init; }

    public SegmentedFile WithAttempts(int attempts) => this with { Attempts = attempts };
}

/// <summary>
/// A segmentation as one float vector for the state store, so a rerun segments no unchanged file: duration, error code
/// (−1 for none), then start, end, label and confidence of each segment.
/// Times are kept as floats (0.1 ms at an hour); a result is read back through this form before use, so a rerun's
/// outputs equal the first run's.
/// </summary>
public static class StoredSegmentation
{
    private const int HeaderValues = 2;
    private const int SegmentValues = 4;

    public static float[] Flatten(SegmentationResult result) =>
    [
        (float)result.DurationSeconds, result.Error is { } e ? (float)e.Code : -1,
        .. result.Segments.SelectMany(s => new[] { (float)s.StartSeconds, (float)s.EndSeconds, (float)s.Label, (float)s.Confidence }),
    ];

    /// <param name="speechShare">the verdict's rule (segments.speech_share), part of the stored version</param>
    public static SegmentationResult Unflatten(string path, float[] vector, string modelVersion, double speechShare)
    {
        var duration = StoredFloat.ToDouble(vector[0]);
        var error = vector[1] < 0 ? null : ErrorOf((ErrorCode)(int)vector[1], duration);
        var segments = vector[HeaderValues..].Chunk(SegmentValues)
            .Select(v => new Segment(StoredFloat.ToDouble(v[0]), StoredFloat.ToDouble(v[1]), (SegmentLabel)(int)v[2], StoredFloat.ToDouble(v[3]))).ToList();
        return new SegmentationResult(path, duration, segments, SpeechVerdict.Of(segments, speechShare), error, modelVersion);
    }

    /// <summary>A stored error's message, rebuilt from what the state keeps.</summary>
    private static FileError ErrorOf(ErrorCode code, double durationSeconds) => new(code, code switch
    {
        ErrorCode.FileTooShort => $"{durationSeconds:0.00} s of audio is too short to segment",
        _ when durationSeconds > 0 => $"decoding stopped at {durationSeconds:0.0} s (kept from an earlier run)",
        _ => "no audio decoded (kept from an earlier run)",
    });

    /// <summary>Round-trips a fresh result through the stored form.</summary>
    public static SegmentationResult AsStored(SegmentationResult result, double speechShare) =>
        Unflatten(result.Path, Flatten(result), result.ModelVersion, speechShare) with { Error = result.Error };
}
