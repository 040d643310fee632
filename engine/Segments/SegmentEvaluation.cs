namespace SSIS.Batch.Engine.Segments;

/// <summary>Frames compared and frames right, per true label and per predicted label, over scored 10 ms frames.</summary>
public sealed class FrameScore
{
    public const double FrameSeconds = 0.01;

    /// <summary>The collar around true boundaries of the evaluation's frame accuracy (and of the trainer's held-out score).</summary>
    public const double CollarSeconds = 0.5;

    public long Scored { get; private set; }
    public long Right { get; private set; }
    public long[] TruePerLabel { get; } = new long[SegmentLabels.Count];
    public long[] RightPerLabel { get; } = new long[SegmentLabels.Count];
    public long[] PredictedPerLabel { get; } = new long[SegmentLabels.Count];

    public double Accuracy => Scored == 0 ? double.NaN : Right / (double)Scored;
    public double Recall(SegmentLabel label) => TruePerLabel[(int)label] == 0 ? double.NaN : RightPerLabel[(int)label] / (double)TruePerLabel[(int)label];
    public double Precision(SegmentLabel label) => PredictedPerLabel[(int)label] == 0 ? double.NaN : RightPerLabel[(int)label] / (double)PredictedPerLabel[(int)label];

    /// <summary>
    /// Adds one file: every 10 ms frame farther than <paramref name="collarSeconds"/> from a true boundary (a change of
    /// label) counts; a frame no predicted segment covers (after a decode error) counts as wrong.
    /// </summary>
    public void Add(IReadOnlyList<Segment> truth, IReadOnlyList<Segment> predicted, double collarSeconds)
    {
        var boundaries = truth.Skip(1).Select(s => s.StartSeconds).ToArray();
        var end = truth.Count == 0 ? 0 : truth[^1].EndSeconds;
        int t = 0, p = 0;
        for (var frame = 0; (frame + 0.5) * FrameSeconds < end; frame++)
        {
            var time = (frame + 0.5) * FrameSeconds;
            if (boundaries.Any(b => Math.Abs(b - time) < collarSeconds)) continue;
            while (t < truth.Count - 1 && time >= truth[t].EndSeconds) t++;
            while (p < predicted.Count - 1 && time >= predicted[p].EndSeconds) p++;
            var trueLabel = truth[t].Label;
            Scored++;
            TruePerLabel[(int)trueLabel]++;
            if (p >= predicted.Count || time >= predicted[p].EndSeconds || time < predicted[p].StartSeconds) continue;
            PredictedPerLabel[(int)predicted[p].Label]++;
            if (predicted[p].Label != trueLabel) continue;
            Right++;
            RightPerLabel[(int)trueLabel]++;
        }
    }
}
