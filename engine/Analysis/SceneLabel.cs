using SSIS.Batch.Engine.Segments;

namespace SSIS.Batch.Engine.Analysis;

/// <summary>audioclassify's five scene classes.</summary>
public enum Scene
{
    Speech,
    Music,
    Noise,
    Silence,
    /// <summary>Not speech content, and no other label holds at least half of the time.</summary>
    Other,
}

/// <summary>
/// A file's scene from the time its segments give each label (<see cref="Shares"/>, in <see cref="SegmentLabel"/> order,
/// summing to 1): <c>speech</c> when the speech verdict says speech content (the gate's own rule, so the scene and
/// <c>is_speech</c> never disagree); else the one of music, noise and silence that holds at least half of the time; else
/// <c>other</c>.
/// </summary>
public sealed record SceneScores(IReadOnlyList<double> Shares, Scene Scene)
{
    public const double DominantShare = 0.5;

    /// <param name="labelSeconds">seconds of each segment label, in label order</param>
    /// <param name="isSpeech">the speech verdict of the same segments</param>
    public static SceneScores? Of(IReadOnlyList<double> labelSeconds, bool isSpeech)
    {
        var total = labelSeconds.Sum();
        if (total <= 0) return null;
        var shares = labelSeconds.Select(s => s / total).ToArray();
        if (isSpeech) return new SceneScores(shares, Scene.Speech);
        var best = SegmentLabels.All.Where(l => l != SegmentLabel.Speech).MaxBy(l => shares[(int)l]);
        return new SceneScores(shares, shares[(int)best] >= DominantShare ? (Scene)(int)best : Scene.Other);
    }

    /// <summary>The seconds of each label in <paramref name="segments"/>, in label order.</summary>
    public static double[] LabelSeconds(IEnumerable<Segment> segments)
    {
        var seconds = new double[SegmentLabels.Count];
        foreach (var s in segments) seconds[(int)s.Label] += s.DurationSeconds;
        return seconds;
    }

    public double Share(SegmentLabel label) => Shares[(int)label];
}

/// <summary>
/// The crop gate's rule: the segmenter's estimate is speech's share of the non-silent time, judged as whole files are (at
/// least <paramref name="SpeechShare"/>, <c>segments.speech_share</c>); Silero's and the heuristic's are shares of
/// windows, judged against <paramref name="WindowThreshold"/> (above it, <c>speech.threshold</c>).
/// </summary>
public sealed record SpeechGate(double WindowThreshold, double SpeechShare)
{
    public bool IsSpeech(TrackAnalysis analysis) => analysis.SpeechDetector.StartsWith(Speech.SegmenterSpeechDetector.NamePrefix, StringComparison.Ordinal)
        ? analysis.SpeechProbability >= SpeechShare
        : analysis.SpeechProbability > WindowThreshold;
}

/// <summary>Where a file's verdict and scene come from.</summary>
public enum SpeechSource
{
    /// <summary>The segments of the whole file.</summary>
    WholeFile,
    /// <summary>The crop analysis.</summary>
    Crop,
}

/// <summary>A file's speech verdict and scene (null scene: the crop was judged by a detector that gives none).</summary>
public sealed record FileSpeech(bool IsSpeech, SceneScores? Scene, SpeechSource Source);

/// <summary>
/// Each file's speech verdict and scene: from its whole-file segments when it was segmented whole (and kept some), else
/// from its crop analysis. Training, recommendations, classifiers and the tables all ask here, so they agree.
/// </summary>
public sealed class FileSpeechVerdicts(SpeechGate gate, IEnumerable<SegmentationResult> wholeFiles)
{
    private readonly Dictionary<string, SegmentationResult> _wholeFiles =
        wholeFiles.Where(r => r.Segments.Count > 0).ToDictionary(r => r.Path, StringComparer.Ordinal);

    public SpeechGate Gate => gate;

    /// <summary>Null when the file was neither segmented whole nor analysed.</summary>
    public FileSpeech? Of(string path, TrackAnalysis? crop)
    {
        if (_wholeFiles.TryGetValue(path, out var whole))
            return new FileSpeech(whole.Verdict.IsSpeech, SceneScores.Of(SceneScores.LabelSeconds(whole.Segments), whole.Verdict.IsSpeech), SpeechSource.WholeFile);
        if (crop is null) return null;
        var isSpeech = gate.IsSpeech(crop);
        return new FileSpeech(isSpeech, crop.CropLabelSeconds is { } seconds ? SceneScores.Of(seconds, isSpeech) : null, SpeechSource.Crop);
    }
}
