using SSIS.Batch.Engine.Segments;

namespace SSIS.Batch.Engine.Speech;

/// <summary>
/// The crop gate by the whole-file segmenter, so a crop and a file segmented whole are judged by one model and one rule:
/// the centred <see cref="SegmentedSeconds"/> of the crop are segmented (speech, music, noise, silence, with the job's
/// post-processing), and the estimate is speech's share of the non-silent time there (<see cref="SpeechVerdict.Share"/>).
/// Only the centre is read: over the whole crop the gate costs about 50 ms of CPU a file more than Silero alone, over the
/// centre 10 s about 10–30 ms (README, "What the gate costs").
/// </summary>
public sealed class SegmenterSpeechDetector(FileSegmenter segmenter, double? segmentedSeconds) : ISpeechDetector, IDisposable
{
    // One Silero session for every crop this worker's detector judges.
    private readonly SileroStream _silero = new();

    /// <summary>The start of every segmenter version (and so of this detector's name).</summary>
    public const string NamePrefix = "segmenter-";

    /// <summary>Seconds of the crop's centre segmented (null: the whole crop).</summary>
    public double? SegmentedSeconds => segmentedSeconds;

    /// <summary>The network judging the crops: one for every worker's detector (<see cref="SpeechDetectors.Choose"/>).</summary>
    public SegmenterModel Model => segmenter.Model;

    public string Name => segmenter.Model.Version;
    public int SampleRateHz => SegmentFeatures.SampleRateHz;

    public SpeechEstimate Estimate(ReadOnlySpan<float> monoSamples)
    {
        var wanted = segmentedSeconds is { } seconds ? Math.Min(monoSamples.Length, (int)(seconds * SampleRateHz)) : monoSamples.Length;
        var part = monoSamples.Slice((monoSamples.Length - wanted) / 2, wanted);
        var blocks = (int)(part.Length / (SegmentFeatures.BlockSeconds * SampleRateHz));
        if (blocks == 0) throw new SpeechDetectionException($"less than one {SegmentFeatures.BlockSeconds:0.0} s block of audio");
        var segments = segmenter.Segment(part, _silero);
        if (segments.Count == 0) throw new SpeechDetectionException("the segmenter returned no segment");
        var labelSeconds = SegmentLabels.All.Select(l => segments.Where(s => s.Label == l).Sum(s => s.DurationSeconds)).ToArray();
        return new SpeechEstimate(SpeechVerdict.Of(segments, speechShare: 1).Share, blocks, Name, labelSeconds);
    }

    public void Dispose() => _silero.Dispose();
}
