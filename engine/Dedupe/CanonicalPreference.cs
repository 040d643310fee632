using SSIS.Batch.Engine.Probe;

namespace SSIS.Batch.Engine.Dedupe;

/// <summary>One criterion of the canonical choice; a copy that scores higher on it is preferred.</summary>
public enum CanonicalCriterion
{
    /// <summary>A copy with a rating in the catalog.</summary>
    Rated,
    /// <summary>A lossless codec (FLAC, ALAC, WavPack, APE, TTA, PCM) over a lossy one.</summary>
    Lossless,
    /// <summary>The higher bit rate.</summary>
    BitRate,
    /// <summary>The higher sample rate.</summary>
    SampleRate,
    /// <summary>The newest modification time (the seed's rule after rated).</summary>
    Newest,
    /// <summary>The shortest path.</summary>
    ShortestPath,
}

/// <summary>The <c>dedupe.prefer</c> list: names, the quality-aware default, the seed's order, and how copies compare.</summary>
public static class CanonicalPreference
{
    /// <summary>Quality first: a rated copy, then lossless, then the higher bit rate and sample rate, then the seed's tie-breaks.</summary>
    public static readonly IReadOnlyList<CanonicalCriterion> Default =
    [
        CanonicalCriterion.Rated, CanonicalCriterion.Lossless, CanonicalCriterion.BitRate, CanonicalCriterion.SampleRate,
        CanonicalCriterion.Newest, CanonicalCriterion.ShortestPath,
    ];

    /// <summary>ffprobe's names of lossless codecs (PCM variants are all <c>pcm_*</c>).</summary>
    private static readonly HashSet<string> LosslessCodecs = new(["flac", "alac", "wavpack", "ape", "tta", "mlp", "truehd", "shorten", "mp4als", "tak"],
        StringComparer.OrdinalIgnoreCase);

    public static string Name(this CanonicalCriterion criterion) => criterion switch
    {
        CanonicalCriterion.Rated => "rated",
        CanonicalCriterion.Lossless => "lossless",
        CanonicalCriterion.BitRate => "bit_rate",
        CanonicalCriterion.SampleRate => "sample_rate",
        CanonicalCriterion.Newest => "newest",
        CanonicalCriterion.ShortestPath => "shortest_path",
        _ => throw new ArgumentOutOfRangeException(nameof(criterion), criterion, null),
    };

    public static CanonicalCriterion? Parse(string name) =>
        Enum.GetValues<CanonicalCriterion>().Cast<CanonicalCriterion?>().FirstOrDefault(c => c!.Value.Name() == name);

    public static bool IsLossless(string codec) => codec.StartsWith("pcm_", StringComparison.OrdinalIgnoreCase) || LosslessCodecs.Contains(codec);

    /// <summary>The copy's score on one criterion: higher is preferred.</summary>
    public static long Score(ProbedTrack track, CanonicalCriterion criterion) => criterion switch
    {
        CanonicalCriterion.Rated => track.Track.Rating is null ? 0 : 1,
        CanonicalCriterion.Lossless => IsLossless(track.Properties!.Codec) ? 1 : 0,
        CanonicalCriterion.BitRate => track.Properties!.BitRateBps,
        CanonicalCriterion.SampleRate => track.Properties!.SampleRateHz,
        CanonicalCriterion.Newest => track.Stamp!.Value.MtimeTicks,
        CanonicalCriterion.ShortestPath => -track.Track.Path.Length,
        _ => throw new ArgumentOutOfRangeException(nameof(criterion), criterion, null),
    };

    /// <summary>Why the winner beat the runner-up: the first criterion that separates them, in words.</summary>
    public static (string Criterion, string Reason) Separating(ProbedTrack winner, ProbedTrack runnerUp, IReadOnlyList<CanonicalCriterion> prefer)
    {
        foreach (var criterion in prefer)
        {
            if (Score(winner, criterion) == Score(runnerUp, criterion)) continue;
            var w = winner.Properties!;
            var r = runnerUp.Properties!;
            return (criterion.Name(), criterion switch
            {
                CanonicalCriterion.Rated => "rated: the only rated copy",
                CanonicalCriterion.Lossless => $"lossless: {w.Codec} over {r.Codec}",
                CanonicalCriterion.BitRate => $"bit_rate: {w.BitRateBps / 1000.0:0.#} kbps over {r.BitRateBps / 1000.0:0.#} kbps",
                CanonicalCriterion.SampleRate => $"sample_rate: {w.SampleRateHz} Hz over {r.SampleRateHz} Hz",
                CanonicalCriterion.Newest => "newest: the most recent modification time",
                _ => "shortest_path: the shortest path",
            });
        }
        return ("path_order", "path_order: every criterion tied, the first path in order");
    }
}
