using SSIS.Batch.Engine.Learning;
using SSIS.Batch.Engine.Segments;

namespace SSIS.Batch.Tests.Segments;

/// <summary>The research pack's post-processing on constructed probabilities (0.1 s blocks), each expectation worked by hand.</summary>
public class SegmentPostProcessorTests
{
    private static readonly SegmentOptions Unsmoothed = new() { SmoothingSeconds = 0 };

    private static readonly SegmentOptions RawDecisions = Unsmoothed with
    {
        MinSpeechSeconds = 0, MinMusicSeconds = 0, MinNoiseSeconds = 0, MinSilenceSeconds = 0, MergeGapSeconds = 0,
    };

    /// <summary>Each block certain of its label (probability 1).</summary>
    private static Matrix Certain(params (SegmentLabel Label, int Blocks)[] runs)
    {
        var rows = runs.SelectMany(r => Enumerable.Repeat(r.Label, r.Blocks)).Select(label =>
        {
            var row = new float[SegmentLabels.Count];
            row[(int)label] = 1;
            return row;
        }).ToList();
        return Matrix.FromRows(rows);
    }

    /// <summary>Speech at the given probability per block, the rest all music.</summary>
    private static Matrix SpeechAgainstMusic(params float[] speech) =>
        Matrix.FromRows(speech.Select(p => new[] { p, 1 - p, 0f, 0f }).ToList());

    private static IReadOnlyList<(SegmentLabel, double, double)> Spans(IReadOnlyList<Segment> segments) =>
        segments.Select(s => (s.Label, Math.Round(s.StartSeconds, 6), Math.Round(s.EndSeconds, 6))).ToList();

    [Fact]
    public void Speech_starts_at_the_onset_and_lasts_until_below_the_offset()
    {
        // 0.5 < onset 0.6: music; 0.65 starts speech; 0.5 and 0.45 stay ≥ offset 0.4; 0.35 ends it; 0.5 < onset again.
        var segments = new SegmentPostProcessor(RawDecisions).Segments(SpeechAgainstMusic(0.5f, 0.65f, 0.5f, 0.45f, 0.35f, 0.5f), 0.6);
        Assert.Equal([(SegmentLabel.Music, 0, 0.1), (SegmentLabel.Speech, 0.1, 0.4), (SegmentLabel.Music, 0.4, 0.6)], Spans(segments));
    }

    [Fact]
    public void A_gap_shorter_than_merge_gap_between_one_label_is_absorbed()
    {
        var options = RawDecisions with { MergeGapSeconds = 0.3 };
        var shortGap = new SegmentPostProcessor(options).Segments(Certain((SegmentLabel.Music, 10), (SegmentLabel.Silence, 2), (SegmentLabel.Music, 10)), 2.2);
        Assert.Equal([(SegmentLabel.Music, 0, 2.2)], Spans(shortGap));
        // 0.3 s is not shorter than 0.3 s: it stays.
        var longGap = new SegmentPostProcessor(options).Segments(Certain((SegmentLabel.Music, 10), (SegmentLabel.Silence, 3), (SegmentLabel.Music, 10)), 2.3);
        Assert.Equal(3, longGap.Count);
    }

    [Fact]
    public void A_short_segment_joins_its_longer_neighbour_and_equal_labels_then_join()
    {
        // Music 0.5 s < 3.4 s between two 2 s speech runs: a tie, so the earlier speech takes it, then meets the later one.
        var tie = new SegmentPostProcessor(Unsmoothed).Segments(Certain((SegmentLabel.Speech, 20), (SegmentLabel.Music, 5), (SegmentLabel.Speech, 20)), 4.5);
        Assert.Equal([(SegmentLabel.Speech, 0, 4.5)], Spans(tie));
    }

    [Fact]
    public void The_shortest_violation_is_resolved_first()
    {
        // Silence 0.3 s (< 0.5) goes first, into the longer neighbour: music 4.0 s over speech 0.6 s → music [0, 4.3).
        // Then speech 0.6 s (< 0.8) sits between music 4.3 s and music 4.0 s: it joins the earlier, longer one, and all is music.
        var runs = Certain((SegmentLabel.Music, 40), (SegmentLabel.Silence, 3), (SegmentLabel.Speech, 6), (SegmentLabel.Music, 40));
        Assert.Equal([(SegmentLabel.Music, 0, 8.9)], Spans(new SegmentPostProcessor(Unsmoothed).Segments(runs, 8.9)));
        // With speech long enough (1.0 s) only the silence moves: music [0, 4.3), speech [4.3, 5.3), music [5.3, 9.3).
        var kept = Certain((SegmentLabel.Music, 40), (SegmentLabel.Silence, 3), (SegmentLabel.Speech, 10), (SegmentLabel.Music, 40));
        Assert.Equal([(SegmentLabel.Music, 0, 4.3), (SegmentLabel.Speech, 4.3, 5.3), (SegmentLabel.Music, 5.3, 9.3)],
            Spans(new SegmentPostProcessor(Unsmoothed).Segments(kept, 9.3)));
    }

    [Fact]
    public void The_last_block_ends_at_the_file_and_confidence_is_the_mean_probability()
    {
        var segments = new SegmentPostProcessor(RawDecisions).Segments(SpeechAgainstMusic(0.9f, 0.7f, 0.2f, 0.1f), 0.35);
        Assert.Equal([(SegmentLabel.Speech, 0, 0.2), (SegmentLabel.Music, 0.2, 0.35)], Spans(segments));
        Assert.Equal(0.8, segments[0].Confidence, 5);
        Assert.Equal(0.85, segments[1].Confidence, 5);
    }

    [Fact]
    public void Smoothing_is_a_centred_moving_average_cut_at_the_ends()
    {
        // 0.3 s over 0.1 s blocks: each block and its two neighbours (the first and last have one neighbour).
        var smoothed = new SegmentPostProcessor(new SegmentOptions { SmoothingSeconds = 0.3 }).Smooth(SpeechAgainstMusic(0.9f, 0.3f, 0.6f, 0f));
        Assert.Equal([0.6f, 0.6f, 0.3f, 0.3f], Enumerable.Range(0, 4).Select(r => MathF.Round(smoothed[r, 0], 5)));
    }

    [Fact]
    public void Music_with_a_short_spoken_intro_stays_music_and_speech_dominating_non_silent_time_is_speech()
    {
        Segment S(double start, double end, SegmentLabel label) => new(start, end, label, 1);
        var song = SpeechVerdict.Of([S(0, 5, SegmentLabel.Speech), S(5, 125, SegmentLabel.Music)], 0.5);
        Assert.False(song.IsSpeech);
        Assert.Equal(5 / 125.0, song.Share, 9);
        // 10 s of speech against 5 s of music; the 20 s of silence do not count.
        Assert.True(SpeechVerdict.Of([S(0, 10, SegmentLabel.Speech), S(10, 30, SegmentLabel.Silence), S(30, 35, SegmentLabel.Music)], 0.5).IsSpeech);
        Assert.False(SpeechVerdict.Of([S(0, 30, SegmentLabel.Silence)], 0.5).IsSpeech);
    }

    [Fact]
    public void Options_out_of_range_are_refused_by_key()
    {
        Assert.Empty(new SegmentOptions().Problems());
        var problems = new SegmentOptions { SpeechOnset = 0.3, MinMusicSeconds = -1 }.Problems();
        Assert.Contains(problems, p => p.StartsWith("min_music_s:"));
        Assert.Contains(problems, p => p.StartsWith("speech_offset:"));
        Assert.Throws<ArgumentException>(() => new SegmentOptions { ChunkSeconds = 0 }.Validated());
        Assert.Equal(SegmentOptions.Parameters.Count, SegmentOptions.Parameters.Select(p => p.Key).Distinct().Count());
    }
}
