using System.Diagnostics;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.Segments;

namespace SSIS.Batch.Engine.FeaturePacks;

/// <summary>A file to pack: its catalog id and path.</summary>
public sealed record FeaturePackInput(long TrackId, string Path);

/// <summary>
/// One file's pack as the run sees it: the seconds and rows written (from the state when <see cref="FromCache"/>), or the
/// typed error that stopped the decode. A file damaged after some audio keeps a pack of what decoded before the damage,
/// as its segments do; a file that decodes nothing has no pack.
/// </summary>
public sealed record FeaturePackOutcome(FeaturePackInput Input, double DurationSeconds, long Rows, FileError? Error, bool FromCache, int Attempts = 1)
    : IFileOutcome<FeaturePackOutcome>, ICachedResult
{
    public FeaturePackOutcome WithAttempts(int attempts) => this with { Attempts = attempts };

    /// <summary>What the state keeps: seconds, rows, and the error code (−1 for none).</summary>
    public float[] ToStored() => [(float)DurationSeconds, Rows, Error is { } e ? (float)e.Code : -1];

    public static FeaturePackOutcome FromStored(FeaturePackInput input, float[] stored) => new(input, stored[0], (long)stored[1],
        stored[2] < 0 ? null : new FileError((ErrorCode)(int)stored[2], $"decoding stopped at {stored[0]:0.0} s (kept from an earlier run)"), FromCache: true);
}

/// <summary>
/// Writes a file's feature pack: decodes it whole at 16 kHz mono in chunks of <see cref="ChunkSeconds"/> (one ffmpeg
/// process), turns each chunk into log-mel frames and hands them to the pack's writer, so a 3-hour file is held one
/// chunk and one row group at a time. It knows nothing of the run.
/// </summary>
public sealed class FeaturePackStage(FeaturePackOptions options, string outputFolder, string ffmpegExecutable = "ffmpeg")
{
    public const string Name = "feature_packs";
    public const double ChunkSeconds = 10;

    public FeaturePackOptions Options => options;

    public string PathOf(FeaturePackInput input) => FeaturePackLayout.PathOf(outputFolder, input.TrackId);

    public FeaturePackOutcome Write(FeaturePackInput input, CancellationToken cancellation = default)
    {
        var logMel = new StreamingLogMel();
        try
        {
            using var writer = new FeaturePackWriter(PathOf(input), input.TrackId, input.Path, options);
            FileError? error = null;
            try
            {
                using var decoder = WholeFileDecoder.Open(input.Path, ffmpegExecutable, sampleRateHz: FeaturePackLayout.SampleRateHz);
                var chunk = new float[(int)(ChunkSeconds * FeaturePackLayout.SampleRateHz)];
                int read;
                while ((read = decoder.Read(chunk)) > 0)
                {
                    cancellation.ThrowIfCancellationRequested();
                    logMel.Push(chunk.AsSpan(0, read), writer.Add);
                }
            }
            catch (AudioDecodeException e)
            {
                error = new FileError(e.Code, logMel.PushedSeconds > 0 ? $"decoding stopped at {logMel.PushedSeconds:0.0} s: {e.Message}" : e.Message);
            }
            var duration = logMel.PushedSeconds;
            if (duration == 0) return new FeaturePackOutcome(input, 0, 0, error ?? new FileError(ErrorCode.FileCorrupt, "no audio decoded"), FromCache: false);
            logMel.Finish(writer.Add);
            writer.Commit(duration);
            return new FeaturePackOutcome(input, duration, writer.Rows, error, FromCache: false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not ToolNotFoundException)
        {
            return new FeaturePackOutcome(input, 0, 0, UnexpectedErrors.From(e), FromCache: false);
        }
    }
}
