using SSIS.Batch.Engine.Learning;

namespace SSIS.Batch.Engine.Segments;

/// <summary>
/// Block probabilities → segments, by the research pack's rules in this order: a centred moving average
/// (<c>smoothing_s</c>); speech by hysteresis (it starts at <c>speech_onset</c> and lasts until the probability falls
/// below <c>speech_offset</c>), any other block taking the likeliest of music, noise and silence; a run shorter than
/// <c>merge_gap_s</c> between two runs of one label joins them; then, shortest first, a run shorter than its label's
/// minimum joins its longer neighbour (the earlier one on a tie). Speech wins over a music bed because the classifier
/// was taught so, and because hysteresis looks at speech alone.
/// </summary>
public sealed class SegmentPostProcessor(SegmentOptions options, double blockSeconds = SegmentFeatures.BlockSeconds)
{
    private sealed class Run(SegmentLabel label, int firstBlock, int endBlock)
    {
        public SegmentLabel Label = label;
        public int FirstBlock = firstBlock;
        public int EndBlock = endBlock;
    }

    /// <summary>Segments covering [0, <paramref name="durationSeconds"/>) from one row of probabilities per block.</summary>
    public IReadOnlyList<Segment> Segments(Matrix probabilities, double durationSeconds)
    {
        if (probabilities.Rows == 0) return [];
        var smoothed = Smooth(probabilities);
        var runs = ToRuns(Decide(smoothed));
        MergeGaps(runs, durationSeconds);
        EnforceMinimumDurations(runs, durationSeconds);
        return runs.Select(r => new Segment(Start(r), End(r, durationSeconds), r.Label, Confidence(smoothed, r))).ToList();
    }

    public Matrix Smooth(Matrix probabilities)
    {
        var half = (int)Math.Round(options.SmoothingSeconds / blockSeconds) / 2;
        if (half == 0) return probabilities;
        var smoothed = new Matrix(probabilities.Rows, probabilities.Cols);
        for (var r = 0; r < probabilities.Rows; r++)
        {
            var (first, last) = (Math.Max(0, r - half), Math.Min(probabilities.Rows - 1, r + half));
            var row = smoothed.Row(r);
            for (var i = first; i <= last; i++) Kernels.AddScaled(probabilities.Row(i), 1f / (last - first + 1), row);
        }
        return smoothed;
    }

    private SegmentLabel[] Decide(Matrix smoothed)
    {
        var labels = new SegmentLabel[smoothed.Rows];
        var inSpeech = false;
        for (var r = 0; r < smoothed.Rows; r++)
        {
            var row = smoothed.Row(r);
            var speech = row[(int)SegmentLabel.Speech];
            inSpeech = inSpeech ? speech >= options.SpeechOffset : speech >= options.SpeechOnset;
            if (inSpeech)
            {
                labels[r] = SegmentLabel.Speech;
                continue;
            }
            var best = SegmentLabel.Music;
            foreach (var other in (ReadOnlySpan<SegmentLabel>)[SegmentLabel.Noise, SegmentLabel.Silence])
                if (row[(int)other] > row[(int)best]) best = other;
            labels[r] = best;
        }
        return labels;
    }

    private static List<Run> ToRuns(SegmentLabel[] labels)
    {
        var runs = new List<Run>();
        for (var r = 0; r < labels.Length; r++)
        {
            if (runs.Count > 0 && runs[^1].Label == labels[r]) runs[^1].EndBlock = r + 1;
            else runs.Add(new Run(labels[r], r, r + 1));
        }
        return runs;
    }

    private void MergeGaps(List<Run> runs, double durationSeconds)
    {
        for (var i = 1; i < runs.Count - 1; i++)
        {
            if (runs[i - 1].Label != runs[i + 1].Label || Length(runs[i], durationSeconds) >= options.MergeGapSeconds) continue;
            runs[i - 1].EndBlock = runs[i + 1].EndBlock;
            runs.RemoveRange(i, 2);
            i--;
        }
    }

    private void EnforceMinimumDurations(List<Run> runs, double durationSeconds)
    {
        while (runs.Count > 1)
        {
            var shortest = -1;
            for (var i = 0; i < runs.Count; i++)
                if (Length(runs[i], durationSeconds) < options.MinSeconds(runs[i].Label)
                    && (shortest < 0 || Length(runs[i], durationSeconds) < Length(runs[shortest], durationSeconds)))
                    shortest = i;
            if (shortest < 0) return;
            var into = shortest == 0 ? 1
                : shortest == runs.Count - 1 ? shortest - 1
                : Length(runs[shortest + 1], durationSeconds) > Length(runs[shortest - 1], durationSeconds) ? shortest + 1 : shortest - 1;
            var target = runs[into];
            target.FirstBlock = Math.Min(target.FirstBlock, runs[shortest].FirstBlock);
            target.EndBlock = Math.Max(target.EndBlock, runs[shortest].EndBlock);
            runs.RemoveAt(shortest);
            JoinEqualNeighbours(runs);
        }
    }

    private static void JoinEqualNeighbours(List<Run> runs)
    {
        for (var i = 1; i < runs.Count; i++)
        {
            if (runs[i].Label != runs[i - 1].Label) continue;
            runs[i - 1].EndBlock = runs[i].EndBlock;
            runs.RemoveAt(i);
            i--;
        }
    }

    private double Start(Run run) => run.FirstBlock * blockSeconds;

    private double End(Run run, double durationSeconds) => Math.Min(durationSeconds, run.EndBlock * blockSeconds);

    private double Length(Run run, double durationSeconds) => End(run, durationSeconds) - Start(run);

    private static double Confidence(Matrix smoothed, Run run)
    {
        var sum = 0.0;
        for (var r = run.FirstBlock; r < run.EndBlock; r++) sum += smoothed[r, (int)run.Label];
        return sum / (run.EndBlock - run.FirstBlock);
    }
}

/// <summary>Whether a file is speech content: speech is at least <c>speech_share</c> of its non-silent time.</summary>
public sealed record SpeechVerdict(double SpeechSeconds, double NonSilentSeconds, bool IsSpeech)
{
    public double Share => NonSilentSeconds > 0 ? SpeechSeconds / NonSilentSeconds : 0;

    public static SpeechVerdict Of(IReadOnlyList<Segment> segments, double speechShare)
    {
        var speech = segments.Where(s => s.Label == SegmentLabel.Speech).Sum(s => s.DurationSeconds);
        var nonSilent = segments.Where(s => s.Label != SegmentLabel.Silence).Sum(s => s.DurationSeconds);
        return new SpeechVerdict(speech, nonSilent, nonSilent > 0 && speech / nonSilent >= speechShare);
    }
}
