using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Learning;
using SSIS.Batch.Engine.Pipeline;

namespace SSIS.Batch.Engine.Segments;

/// <summary>
/// One file's segments. <see cref="Error"/> is set when the file failed: FILE_TOO_SHORT or a decode failure before any
/// audio leaves no segments; damage after some audio keeps the segments of what decoded before it.
/// </summary>
public sealed record SegmentationResult(string Path, double DurationSeconds, IReadOnlyList<Segment> Segments, SpeechVerdict Verdict,
    FileError? Error, string ModelVersion);

/// <summary>
/// Other readers of a file's one whole-file decode: <see cref="Segmented"/> gets the segmenter's own 8 kHz stream, and
/// <see cref="Second"/> the same decode at <see cref="SecondRateHz"/> (null: no second stream).
/// <see cref="DecodeFailure"/> is set when the decode stopped part-way, after both had what came before the damage.
/// </summary>
public sealed class WholeFileTaps(SamplesTap? segmented = null, int? secondRateHz = null, SamplesTap? second = null)
{
    public SamplesTap? Segmented => segmented;
    public int? SecondRateHz => second is null ? null : secondRateHz;
    public SamplesTap? Second => second;
    public AudioDecodeException? DecodeFailure { get; set; }
}

/// <summary>
/// Segments a whole file: decodes it in chunks of <c>chunk_s</c>, turns each chunk into block features, classifies the
/// blocks in batches and keeps only their four probabilities (16 bytes per 0.1 s, 1.7 MB for a 3-hour file), so memory
/// stays flat; then post-processes them (<see cref="SegmentPostProcessor"/>). Safe to call from several workers at once:
/// each takes a Silero session of its own from a pool (opening one costs ~40 ms) and resets it for each file.
/// </summary>
public sealed class FileSegmenter(SegmenterModel model, SegmentOptions options, string ffmpegExecutable = "ffmpeg", string? sileroModelPath = null)
    : IDisposable
{
    private const int BlocksPerBatch = 512;
    private readonly SegmentOptions _options = options.Validated();
    private readonly WorkerPool<SileroStream> _sessions = new(() => new SileroStream(sileroModelPath));

    public SegmenterModel Model => model;

    /// <summary>How many Silero sessions were opened: at most one per worker that segmented at once.</summary>
    public int SessionsOpened => _sessions.Created;

    public SegmentationResult Segment(string path, CancellationToken cancellation = default) => Segment(path, new WholeFileTaps(), cancellation);

    /// <summary>As <see cref="Segment(string, CancellationToken)"/>, handing the decoded audio to <paramref name="taps"/> on the way.</summary>
    public SegmentationResult Segment(string path, WholeFileTaps taps, CancellationToken cancellation) =>
        _sessions.Use(silero => Segment(path, taps, silero, cancellation));

    private SegmentationResult Segment(string path, WholeFileTaps taps, SileroStream silero, CancellationToken cancellation)
    {
        silero.Reset();
        var features = new SegmentFeatures(silero);
        var probabilities = new List<float>();
        var blocks = new List<float[]>();
        FileError? error = null;
        try
        {
            using var decoder = WholeFileDecoder.Open(path, ffmpegExecutable, secondRateHz: taps.SecondRateHz);
            var chunk = new float[(int)(_options.ChunkSeconds * SegmentFeatures.SampleRateHz)];
            int read;
            while ((read = decoder.Read(chunk, taps.Second)) > 0)
            {
                cancellation.ThrowIfCancellationRequested();
                features.Push(chunk.AsSpan(0, read), blocks);
                taps.Segmented?.Invoke(chunk.AsSpan(0, read));
                if (blocks.Count >= BlocksPerBatch) Classify(blocks, probabilities);
            }
        }
        catch (AudioDecodeException e)
        {
            taps.DecodeFailure = e;
            error = new FileError(e.Code, features.PushedSeconds > 0 ? $"decoding stopped at {features.PushedSeconds:0.0} s: {e.Message}" : e.Message);
        }
        var duration = features.PushedSeconds;
        if (duration == 0) return Failed(path, 0, error ?? new FileError(ErrorCode.FileCorrupt, "no audio decoded"));
        if (duration < _options.MinFileSeconds && error is null)
            return Failed(path, duration, new FileError(ErrorCode.FileTooShort, $"{duration:0.00} s of audio, segmentation needs {_options.MinFileSeconds:0.##} s"));
        features.Finish(blocks);
        Classify(blocks, probabilities);
        var segments = Segments(probabilities, duration);
        return new SegmentationResult(path, duration, segments, SpeechVerdict.Of(segments, _options.SpeechShare), error, model.Version);
    }

    /// <summary>Segments of audio already in memory at <see cref="SegmentFeatures.SampleRateHz"/> (training and evaluation).</summary>
    public IReadOnlyList<Segment> Segment(ReadOnlySpan<float> samples)
    {
        var copy = samples.ToArray();
        return _sessions.Use(silero => Segment(copy, silero));
    }

    /// <summary>As <see cref="Segment(ReadOnlySpan{float})"/>, on a caller's Silero session (reset first), which many calls can share.</summary>
    public IReadOnlyList<Segment> Segment(ReadOnlySpan<float> samples, SileroStream silero)
    {
        var probabilities = new List<float>();
        var blocks = BlockFeatures(samples, silero);
        Classify(blocks, probabilities);
        return Segments(probabilities, samples.Length / (double)SegmentFeatures.SampleRateHz);
    }

    /// <summary>Every block's feature vector of <paramref name="samples"/>.</summary>
    public static List<float[]> BlockFeatures(ReadOnlySpan<float> samples, string? sileroModelPath = null)
    {
        using var silero = new SileroStream(sileroModelPath);
        return BlockFeatures(samples, silero);
    }

    private static List<float[]> BlockFeatures(ReadOnlySpan<float> samples, SileroStream silero)
    {
        silero.Reset();
        var features = new SegmentFeatures(silero);
        var blocks = new List<float[]>();
        features.Push(samples, blocks);
        features.Finish(blocks);
        return blocks;
    }

    private IReadOnlyList<Segment> Segments(List<float> probabilities, double durationSeconds) =>
        new SegmentPostProcessor(_options).Segments(new Matrix(probabilities.Count / SegmentLabels.Count, SegmentLabels.Count, probabilities.ToArray()), durationSeconds);

    private void Classify(List<float[]> blocks, List<float> probabilities)
    {
        if (blocks.Count == 0) return;
        probabilities.AddRange(model.Probabilities(blocks).Data);
        blocks.Clear();
    }

    private SegmentationResult Failed(string path, double durationSeconds, FileError error) =>
        new(path, durationSeconds, [], new SpeechVerdict(0, 0, false), error, model.Version);

    public void Dispose() => _sessions.Dispose();
}
