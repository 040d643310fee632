using System.Globalization;

namespace SSIS.Batch.Engine.Segments;

/// <summary>
/// One tunable of the segmenter, declared once with its YAML key (under <c>segments:</c>), what it does, its range and its
/// default (as Essentia's declareParameter does), so the options record, validation, config and README read one list.
/// </summary>
public sealed record SegmentParameter(string Key, string Doc, double Min, double Max, double Default, Func<SegmentOptions, double> Read,
    Func<SegmentOptions, double, SegmentOptions> With);

/// <summary>
/// Post-processing and file rules of the whole-file segmenter (SSIS research pack, "segments"). Every value is declared in
/// <see cref="Parameters"/>; the record's defaults are those declarations.
/// </summary>
public sealed record SegmentOptions
{
    public double SmoothingSeconds { get; init; } = Declared("smoothing_s");
    public double SpeechOnset { get; init; } = Declared("speech_onset");
    public double SpeechOffset { get; init; } = Declared("speech_offset");
    public double MinSpeechSeconds { get; init; } = Declared("min_speech_s");
    public double MinMusicSeconds { get; init; } = Declared("min_music_s");
    public double MinNoiseSeconds { get; init; } = Declared("min_noise_s");
    public double MinSilenceSeconds { get; init; } = Declared("min_silence_s");
    public double MergeGapSeconds { get; init; } = Declared("merge_gap_s");
    public double MinFileSeconds { get; init; } = Declared("min_file_s");
    public double SpeechShare { get; init; } = Declared("speech_share");
    public double ChunkSeconds { get; init; } = Declared("chunk_s");

    public static IReadOnlyList<SegmentParameter> Parameters { get; } =
    [
        new("smoothing_s", "moving average of the frame probabilities before any decision", 0, 5, 1.0, o => o.SmoothingSeconds,
            (o, v) => o with { SmoothingSeconds = v }),
        new("speech_onset", "smoothed speech probability that starts speech (hysteresis)", 0, 1, 0.6, o => o.SpeechOnset,
            (o, v) => o with { SpeechOnset = v }),
        new("speech_offset", "smoothed speech probability below which speech ends (hysteresis)", 0, 1, 0.4, o => o.SpeechOffset,
            (o, v) => o with { SpeechOffset = v }),
        new("min_speech_s", "shortest speech segment; shorter ones join a neighbour", 0, 60, 0.8, o => o.MinSpeechSeconds,
            (o, v) => o with { MinSpeechSeconds = v }),
        new("min_music_s", "shortest music segment; shorter ones join a neighbour", 0, 60, 3.4, o => o.MinMusicSeconds,
            (o, v) => o with { MinMusicSeconds = v }),
        new("min_noise_s", "shortest noise segment; shorter ones join a neighbour", 0, 60, 0.5, o => o.MinNoiseSeconds,
            (o, v) => o with { MinNoiseSeconds = v }),
        new("min_silence_s", "shortest silence segment; shorter ones join a neighbour", 0, 60, 0.5, o => o.MinSilenceSeconds,
            (o, v) => o with { MinSilenceSeconds = v }),
        new("merge_gap_s", "a gap shorter than this between two segments of one label is absorbed by them", 0, 10, 0.3, o => o.MergeGapSeconds,
            (o, v) => o with { MergeGapSeconds = v }),
        new("min_file_s", "files shorter than this are FILE_TOO_SHORT", 0.1, 60, 1.0, o => o.MinFileSeconds,
            (o, v) => o with { MinFileSeconds = v }),
        new("speech_share", "a file is speech content when speech is at least this share of its non-silent time", 0, 1, 0.5, o => o.SpeechShare,
            (o, v) => o with { SpeechShare = v }),
        new("chunk_s", "seconds decoded per read: memory is bounded by it, whatever the file's length", 1, 600, 10, o => o.ChunkSeconds,
            (o, v) => o with { ChunkSeconds = v }),
    ];

    private static double Declared(string key) => Parameters.Single(p => p.Key == key).Default;

    /// <summary>Every value out of its declared range, or an offset above the onset, as "key: reason" lines (empty when valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = Parameters.Where(p => p.Read(this) is var v && (double.IsNaN(v) || v < p.Min || v > p.Max))
            .Select(p => $"{p.Key}: {Format(p.Read(this))} is outside [{Format(p.Min)}, {Format(p.Max)}]").ToList();
        if (SpeechOffset > SpeechOnset) problems.Add($"speech_offset: {Format(SpeechOffset)} is above speech_onset {Format(SpeechOnset)}");
        return problems;
    }

    /// <summary>This record, or an <see cref="ArgumentException"/> listing its <see cref="Problems"/>.</summary>
    public SegmentOptions Validated() =>
        Problems() is { Count: > 0 } problems ? throw new ArgumentException("segments: " + string.Join("; ", problems)) : this;

    /// <summary>The shortest segment <paramref name="label"/> may have.</summary>
    public double MinSeconds(SegmentLabel label) => label switch
    {
        SegmentLabel.Speech => MinSpeechSeconds,
        SegmentLabel.Music => MinMusicSeconds,
        SegmentLabel.Noise => MinNoiseSeconds,
        SegmentLabel.Silence => MinSilenceSeconds,
        _ => throw new ArgumentOutOfRangeException(nameof(label)),
    };

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
