namespace SSIS.Batch.Engine.Segments;

/// <summary>How a preview was chosen: <c>smart</c> by its score, <c>intro</c> after the leading silence, <c>fallback</c> from the start.</summary>
public enum PreviewMode
{
    Smart,
    Intro,
    Fallback,
}

/// <summary>What a preview starts at.</summary>
public enum PreviewBasis
{
    /// <summary>Speech after a pause (<see cref="Preview.BasisValue"/>: the pause, seconds).</summary>
    Pause,
    /// <summary>The loudest window of music (<see cref="Preview.BasisValue"/>: its mean level, dBFS).</summary>
    Loudest,
    /// <summary>The end of the leading silence (<see cref="Preview.BasisValue"/>: its length, seconds).</summary>
    LeadingSilence,
    /// <summary>The start of the file.</summary>
    FileStart,
}

/// <summary>
/// One file's preview clip [<see cref="StartSeconds"/>, <see cref="EndSeconds"/>). <see cref="ContentShare"/> is the share
/// of the clip holding the file's content (speech for speech content, music otherwise).
/// </summary>
public sealed record Preview(PreviewMode Mode, double StartSeconds, double EndSeconds, double Confidence, PreviewBasis Basis, double BasisValue,
    double ContentShare)
{
    public string ModeName => Mode.ToString().ToLowerInvariant();

    public string Reason => Basis switch
    {
        PreviewBasis.Pause => FormattableString.Invariant($"speech after a {BasisValue:0.0} s pause, the clip with the most varied energy and spectrum; speech {ContentShare:0%} of it"),
        PreviewBasis.Loudest => FormattableString.Invariant($"the loudest {EndSeconds - StartSeconds:0} s of music, mean level {BasisValue:0.0} dBFS; music {ContentShare:0%} of it"),
        PreviewBasis.LeadingSilence => FormattableString.Invariant($"no clip qualifies as speech after a pause or as mostly music: starts after the {BasisValue:0.0} s of leading silence"),
        _ => "no clip qualifies as speech after a pause or as mostly music, and no leading silence: starts at the beginning",
    };
}

/// <summary>
/// Per-block level and spectrum of a whole file, the preview's energy and "embedding": each
/// <see cref="BlockSeconds"/> block's mean level (dBFS) and its mean log-mel vector (dB).
/// </summary>
public sealed record PreviewBlocks(double BlockSeconds, IReadOnlyList<float> LevelDb, IReadOnlyList<float[]> Embeddings);

/// <summary>
/// Chooses a file's preview from its segments (SSIS research pack, "preview selection"). Speech content: a
/// <see cref="SpeechClipSeconds"/> clip starting where speech follows a pause of at least <see cref="MinPauseSeconds"/>
/// (a non-speech segment), among the clips at least <see cref="MinContentShare"/> speech and at least <see cref="MinFullness"/>
/// of the full clip's length (or the file's, when shorter); each is scored by its speech share
/// × its length over the full clip's (or the file's, when shorter: a clip cut short by the file's end scores less) × the
/// mean of its energy variance (of the blocks' levels) and its embedding variance (of the blocks' log-mel vectors,
/// averaged over bands), each divided by the largest among the candidates; the best wins (the earliest on a tie) and its
/// score is the confidence. Other files: the <see cref="MusicClipSeconds"/> clip (starting on a block) with the highest
/// mean level among those at least half music; the confidence is its music share. Failing those: the clip after the
/// leading silence (<c>intro</c>), else from the start (<c>fallback</c>), with their content share as the confidence.
/// </summary>
public static class PreviewSelector
{
    public const double SpeechClipSeconds = 60;
    public const double MusicClipSeconds = 30;
    public const double MinPauseSeconds = 0.2;
    public const double MinContentShare = 0.5;

    /// <summary>
    /// The shortest speech clip, as a share of the full clip (or of the file, when shorter): a talk whose only pause comes
    /// seconds before its end would otherwise preview as its last few seconds, where its start says more.
    /// </summary>
    public const double MinFullness = 0.5;

    public static Preview Select(IReadOnlyList<Segment> segments, double durationSeconds, bool isSpeech, PreviewBlocks blocks)
    {
        var content = isSpeech ? SegmentLabel.Speech : SegmentLabel.Music;
        var clip = isSpeech ? SpeechClipSeconds : MusicClipSeconds;
        var smart = isSpeech ? AfterPause(segments, durationSeconds, blocks) : Loudest(segments, durationSeconds, blocks);
        if (smart is not null) return smart;
        if (segments is [{ Label: SegmentLabel.Silence } leading, _, ..])
        {
            var end = Math.Min(durationSeconds, leading.EndSeconds + clip);
            var share = Share(segments, content, leading.EndSeconds, end);
            return new Preview(PreviewMode.Intro, leading.EndSeconds, end, share, PreviewBasis.LeadingSilence, leading.DurationSeconds, share);
        }
        var fallbackEnd = Math.Min(durationSeconds, clip);
        var fallbackShare = Share(segments, content, 0, fallbackEnd);
        return new Preview(PreviewMode.Fallback, 0, fallbackEnd, fallbackShare, PreviewBasis.FileStart, 0, fallbackShare);
    }

    private static Preview? AfterPause(IReadOnlyList<Segment> segments, double durationSeconds, PreviewBlocks blocks)
    {
        var candidates = new List<(double Start, double End, double Pause, double Share, double Fullness, double Energy, double Embedding)>();
        var speechShare = new LabelWindow(segments, SegmentLabel.Speech);
        for (var i = 1; i < segments.Count; i++)
        {
            var (pause, speech) = (segments[i - 1], segments[i]);
            if (speech.Label != SegmentLabel.Speech || pause.Label == SegmentLabel.Speech || pause.DurationSeconds < MinPauseSeconds) continue;
            var end = Math.Min(durationSeconds, speech.StartSeconds + SpeechClipSeconds);
            var share = speechShare.Share(speech.StartSeconds, end);
            if (share < MinContentShare) continue;
            var (first, last) = BlockRange(blocks, speech.StartSeconds, end);
            // A clip cut short by the file's end spans less of what a listener asked for.
            var fullness = (end - speech.StartSeconds) / Math.Min(SpeechClipSeconds, durationSeconds);
            if (fullness < MinFullness) continue;
            candidates.Add((speech.StartSeconds, end, pause.DurationSeconds, share, fullness, Variance(blocks.LevelDb, first, last),
                EmbeddingVariance(blocks.Embeddings, first, last)));
        }
        if (candidates.Count == 0) return null;
        var (maxEnergy, maxEmbedding) = (candidates.Max(c => c.Energy), candidates.Max(c => c.Embedding));
        var scored = candidates.Select(c => (c, Score: c.Share * c.Fullness * (Ratio(c.Energy, maxEnergy) + Ratio(c.Embedding, maxEmbedding)) / 2));
        var (best, score) = scored.Aggregate((a, b) => b.Score > a.Score ? b : a);
        return new Preview(PreviewMode.Smart, best.Start, best.End, score, PreviewBasis.Pause, best.Pause, best.Share);
    }

    private static Preview? Loudest(IReadOnlyList<Segment> segments, double durationSeconds, PreviewBlocks blocks)
    {
        if (blocks.LevelDb.Count == 0) return null;
        Preview? best = null;
        var musicShare = new LabelWindow(segments, SegmentLabel.Music);
        var lastStart = Math.Max(0, durationSeconds - MusicClipSeconds);
        for (var b = 0; b * blocks.BlockSeconds <= lastStart + 1e-9; b++)
        {
            var start = b * blocks.BlockSeconds;
            var end = Math.Min(durationSeconds, start + MusicClipSeconds);
            var share = musicShare.Share(start, end);
            if (share < MinContentShare) continue;
            var (first, last) = BlockRange(blocks, start, end);
            if (last <= first) continue;
            var level = 0.0;
            for (var i = first; i < last; i++) level += blocks.LevelDb[i];
            level /= last - first;
            if (best is null || level > best.BasisValue) best = new Preview(PreviewMode.Smart, start, end, share, PreviewBasis.Loudest, level, share);
        }
        return best;
    }

    /// <summary>The share of [start, end) that <paramref name="segments"/> (in time order) label <paramref name="label"/>.</summary>
    public static double Share(IReadOnlyList<Segment> segments, SegmentLabel label, double start, double end) =>
        new LabelWindow(segments, label).Share(start, end);

    /// <summary>
    /// The share of one label in windows whose start and end only move forward, over segments in time order: the
    /// segments ending before a window are passed once for all later windows, so a file's candidates cost the blocks
    /// plus the segments, not their product. The overlaps are summed in segment order, as a sum over every segment
    /// (adding the zero overlaps of the others) would.
    /// </summary>
    private sealed class LabelWindow(IReadOnlyList<Segment> segments, SegmentLabel label)
    {
        private int _first;

        public double Share(double start, double end)
        {
            if (end <= start) return 0;
            while (_first < segments.Count && segments[_first].EndSeconds <= start) _first++;
            var seconds = 0.0;
            for (var i = _first; i < segments.Count && segments[i].StartSeconds < end; i++)
                if (segments[i].Label == label) seconds += Math.Max(0, Math.Min(segments[i].EndSeconds, end) - Math.Max(segments[i].StartSeconds, start));
            return seconds / (end - start);
        }
    }

    /// <summary>Blocks whose centre lies in [start, end).</summary>
    private static (int First, int Last) BlockRange(PreviewBlocks blocks, double start, double end)
    {
        var first = Math.Max(0, (int)Math.Ceiling(start / blocks.BlockSeconds - 0.5));
        var last = Math.Min(blocks.LevelDb.Count, (int)Math.Ceiling(end / blocks.BlockSeconds - 0.5));
        return (first, Math.Max(first, last));
    }

    private static double Variance(IReadOnlyList<float> values, int first, int last) => Variance(first, last, i => values[i]);

    /// <summary>The population variance of <paramref name="value"/>(i) over [first, last).</summary>
    private static double Variance(int first, int last, Func<int, float> value)
    {
        if (last - first < 2) return 0;
        double sum = 0, squares = 0;
        for (var i = first; i < last; i++)
        {
            var v = value(i);
            (sum, squares) = (sum + v, squares + (double)v * v);
        }
        var mean = sum / (last - first);
        return Math.Max(0, squares / (last - first) - mean * mean);
    }

    private static double EmbeddingVariance(IReadOnlyList<float[]> embeddings, int first, int last)
    {
        if (last - first < 2 || embeddings.Count == 0) return 0;
        var dimensions = embeddings[first].Length;
        var total = 0.0;
        for (var d = 0; d < dimensions; d++)
        {
            var band = d;
            total += Variance(first, last, i => embeddings[i][band]);
        }
        return total / dimensions;
    }

    private static double Ratio(double value, double max) => max > 0 ? value / max : 0;
}
