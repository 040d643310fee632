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
/// chunk and one row group at a time. It knows nothing of the run. A file segmented now gets its pack from the
/// segmenter's decode instead (<see cref="Begin"/>, fed by a <see cref="WholeFileTaps.Second"/> tap).
/// </summary>
public sealed class FeaturePackStage(FeaturePackOptions options, string outputFolder, string ffmpegExecutable = "ffmpeg")
{
    public const string Name = "feature_packs";
    public const double ChunkSeconds = 10;

    public FeaturePackOptions Options => options;

    public string PathOf(FeaturePackInput input) => FeaturePackLayout.PathOf(outputFolder, input.TrackId);

    /// <summary>A pack to fill with the file's 16 kHz audio as it is decoded elsewhere.</summary>
    public FeaturePackBuild Begin(FeaturePackInput input) => new(input, PathOf(input), options);

    public FeaturePackOutcome Write(FeaturePackInput input, CancellationToken cancellation = default)
    {
        using var pack = Begin(input);
        AudioDecodeException? failure = null;
        try
        {
            using var decoder = WholeFileDecoder.Open(input.Path, ffmpegExecutable, sampleRateHz: FeaturePackLayout.SampleRateHz);
            var chunk = new float[(int)(ChunkSeconds * FeaturePackLayout.SampleRateHz)];
            int read;
            while ((read = decoder.Read(chunk)) > 0)
            {
                cancellation.ThrowIfCancellationRequested();
                pack.Push(chunk.AsSpan(0, read));
            }
        }
        catch (AudioDecodeException e)
        {
            failure = e;
        }
        catch (Exception e) when (e is not OperationCanceledException and not ToolNotFoundException)
        {
            return new FeaturePackOutcome(input, 0, 0, UnexpectedErrors.From(e), FromCache: false);
        }
        return pack.Finish(failure);
    }
}

/// <summary>
/// One pack being written from audio pushed in chunks (<see cref="FeaturePackLayout.SampleRateHz"/> mono). A failure to
/// write (a full disk) ends the pack, not the decode feeding it: it becomes the outcome's error. Disposed unfinished, the
/// pack is not written.
/// </summary>
public sealed class FeaturePackBuild : IDisposable
{
    private readonly StreamingLogMel _logMel = new();
    private readonly FeaturePackWriter? _writer;
    private FileError? _failed;

    internal FeaturePackBuild(FeaturePackInput input, string packPath, FeaturePackOptions options)
    {
        Input = input;
        try
        {
            _writer = new FeaturePackWriter(packPath, input.TrackId, input.Path, options);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _failed = UnexpectedErrors.From(e);
        }
    }

    public FeaturePackInput Input { get; }

    public void Push(ReadOnlySpan<float> samples)
    {
        if (_failed is not null) return;
        try
        {
            _logMel.Push(samples, _writer!.Add);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _failed = UnexpectedErrors.From(e);
        }
    }

    /// <summary>Ends the pack after the decode: whole, or up to <paramref name="decodeFailure"/>, the damage that stopped it.</summary>
    public FeaturePackOutcome Finish(AudioDecodeException? decodeFailure)
    {
        if (_failed is not null) return new FeaturePackOutcome(Input, 0, 0, _failed, FromCache: false);
        var error = decodeFailure is { } e
            ? new FileError(e.Code, _logMel.PushedSeconds > 0 ? $"decoding stopped at {_logMel.PushedSeconds:0.0} s: {e.Message}" : e.Message)
            : null;
        var duration = _logMel.PushedSeconds;
        if (duration == 0) return new FeaturePackOutcome(Input, 0, 0, error ?? new FileError(ErrorCode.FileCorrupt, "no audio decoded"), FromCache: false);
        try
        {
            _logMel.Finish(_writer!.Add);
            _writer.Commit(duration);
            return new FeaturePackOutcome(Input, duration, _writer.Rows, error, FromCache: false);
        }
        catch (Exception x) when (x is not OperationCanceledException)
        {
            return new FeaturePackOutcome(Input, 0, 0, UnexpectedErrors.From(x), FromCache: false);
        }
    }

    public void Dispose() => _writer?.Dispose();
}
