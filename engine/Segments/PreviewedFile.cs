using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Engine.Segments;

/// <summary>A file segmented whole after the previews step: its preview, from the state or chosen now.</summary>
public sealed record PreviewedFile(SegmentInput Input, Preview? Preview, FileError? Error, bool FromCache, int Attempts = 1)
    : IFileOutcome<PreviewedFile>, ICachedResult
{
    public PreviewedFile WithAttempts(int attempts) => this with { Attempts = attempts };
}

/// <summary>A preview as one float vector for the state store: mode, start, end, confidence, basis, its value, content share.</summary>
public static class StoredPreview
{
    public static float[] Flatten(Preview p) =>
        [(float)p.Mode, (float)p.StartSeconds, (float)p.EndSeconds, (float)p.Confidence, (float)p.Basis, (float)p.BasisValue, (float)p.ContentShare];

    public static Preview Unflatten(float[] v) => new((PreviewMode)(int)v[0], StoredFloat.ToDouble(v[1]), StoredFloat.ToDouble(v[2]),
        StoredFloat.ToDouble(v[3]), (PreviewBasis)(int)v[4], StoredFloat.ToDouble(v[5]), StoredFloat.ToDouble(v[6]));

    /// <summary>Round-trips a fresh preview through the stored form, so a rerun's outputs equal the first run's.</summary>
    public static Preview AsStored(Preview preview) => Unflatten(Flatten(preview));
}
