using SSIS.Batch.Engine.Segments;

namespace SSIS.Batch.Tests.Segments;

/// <summary>The preview choice on hand-written segment lists and block levels.</summary>
public class PreviewSelectorTests
{
    private static Segment S(double start, double end, SegmentLabel label) => new(start, end, label, 0.9);

    /// <summary>0.5 s blocks over <paramref name="seconds"/>, all at <paramref name="levelDb"/> with a flat spectrum, then <paramref name="shape"/>.</summary>
    private static PreviewBlocks Blocks(double seconds, float levelDb, Action<float[], float[][]>? shape = null)
    {
        var count = (int)(seconds / 0.5);
        var levels = Enumerable.Repeat(levelDb, count).ToArray();
        var embeddings = Enumerable.Range(0, count).Select(_ => new float[] { -40, -50 }).ToArray();
        shape?.Invoke(levels, embeddings);
        return new PreviewBlocks(0.5, levels, embeddings);
    }

    [Fact]
    public void Speech_starts_after_a_pause_at_the_clip_with_the_most_varied_energy_and_spectrum()
    {
        // Two pauses start speech: 2 s of silence before 2 s, 1 s before 31 s. From 31 s the levels alternate −20/−40 dB
        // and the spectrum alternates too, so the clip from 31 s has the larger variances of both.
        List<Segment> segments = [S(0, 2, SegmentLabel.Silence), S(2, 30, SegmentLabel.Speech), S(30, 31, SegmentLabel.Silence),
            S(31, 100, SegmentLabel.Speech), S(100, 110, SegmentLabel.Music)];
        var blocks = Blocks(110, -30, (levels, embeddings) =>
        {
            for (var b = 62; b < 200; b++)
            {
                levels[b] = b % 2 == 0 ? -20 : -40;
                embeddings[b] = b % 2 == 0 ? [-30, -50] : [-50, -50];
            }
        });
        var preview = PreviewSelector.Select(segments, 110, isSpeech: true, blocks);
        Assert.Equal((PreviewMode.Smart, 31.0, 91.0), (preview.Mode, preview.StartSeconds, preview.EndSeconds));
        // The clip from 31 s is all speech and has the largest of both variances: 1 × (1 + 1) / 2.
        Assert.Equal(1.0, preview.Confidence, 9);
        Assert.Equal(PreviewBasis.Pause, preview.Basis);
        Assert.Equal(1.0, preview.BasisValue, 9);
        Assert.Contains("1.0 s pause", preview.Reason);

        // With a flat spectrum everywhere, the embedding term is 0 for both: the score is 1 × (1 + 0) / 2.
        var flat = PreviewSelector.Select(segments, 110, true, Blocks(110, -30, (levels, _) =>
        {
            for (var b = 62; b < 200; b++) levels[b] = b % 2 == 0 ? -20 : -40;
        }));
        Assert.Equal((31.0, 0.5), (flat.StartSeconds, Math.Round(flat.Confidence, 9)));
    }

    [Fact]
    public void A_pause_under_200_ms_is_no_start_and_without_leading_silence_the_preview_falls_back_to_the_start()
    {
        List<Segment> segments = [S(0, 10, SegmentLabel.Speech), S(10, 10.1, SegmentLabel.Noise), S(10.1, 80, SegmentLabel.Speech)];
        var preview = PreviewSelector.Select(segments, 80, isSpeech: true, Blocks(80, -20));
        Assert.Equal((PreviewMode.Fallback, 0.0, 60.0), (preview.Mode, preview.StartSeconds, preview.EndSeconds));
        Assert.Equal(59.9 / 60, preview.Confidence, 9);
        Assert.Equal("fallback", preview.ModeName);
    }

    [Fact]
    public void A_talk_whose_only_pause_is_near_its_end_previews_from_its_start_not_its_last_seconds()
    {
        // The tester's 78 s talk: speech from 0 (no pause before it), a 0.9 s pause at 72.5 s, 4.7 s of speech after it.
        List<Segment> segments = [S(0, 72.5, SegmentLabel.Speech), S(72.5, 73.4, SegmentLabel.Silence), S(73.4, 78.1, SegmentLabel.Speech)];
        var preview = PreviewSelector.Select(segments, 78.1, isSpeech: true, Blocks(78.1, -20));
        Assert.Equal((PreviewMode.Fallback, 0.0, 60.0), (preview.Mode, preview.StartSeconds, preview.EndSeconds));

        // A pause with a full clip after it still starts the preview: 40 s into a 110 s talk.
        List<Segment> later = [S(0, 39, SegmentLabel.Speech), S(39, 40, SegmentLabel.Silence), S(40, 110, SegmentLabel.Speech)];
        var fromThePause = PreviewSelector.Select(later, 110, true, Blocks(110, -20));
        Assert.Equal((PreviewMode.Smart, 40.0, 100.0), (fromThePause.Mode, fromThePause.StartSeconds, fromThePause.EndSeconds));
    }

    [Fact]
    public void Without_a_clip_that_is_mostly_music_the_preview_is_the_intro_after_the_leading_silence()
    {
        List<Segment> segments = [S(0, 4, SegmentLabel.Silence), S(4, 20, SegmentLabel.Noise)];
        var preview = PreviewSelector.Select(segments, 20, isSpeech: false, Blocks(20, -20));
        Assert.Equal((PreviewMode.Intro, 4.0, 20.0, 0.0), (preview.Mode, preview.StartSeconds, preview.EndSeconds, preview.Confidence));
        Assert.Contains("4.0 s of leading silence", preview.Reason);
    }

    [Fact]
    public void Music_gets_its_loudest_30_seconds()
    {
        // −30 dB everywhere but 50–80 s at −10 dB: the window starting at 50 s is the only one all at −10 dB.
        var blocks = Blocks(100, -30, (levels, _) =>
        {
            for (var b = 100; b < 160; b++) levels[b] = -10;
        });
        var preview = PreviewSelector.Select([S(0, 100, SegmentLabel.Music)], 100, isSpeech: false, blocks);
        Assert.Equal((PreviewMode.Smart, 50.0, 80.0, 1.0), (preview.Mode, preview.StartSeconds, preview.EndSeconds, preview.Confidence));
        Assert.Equal((PreviewBasis.Loudest, -10.0), (preview.Basis, preview.BasisValue));

        // A file shorter than the clip: the whole file.
        var shortFile = PreviewSelector.Select([S(0, 12, SegmentLabel.Music)], 12, isSpeech: false, Blocks(12, -20));
        Assert.Equal((0.0, 12.0), (shortFile.StartSeconds, shortFile.EndSeconds));
    }

    /// <summary>A share by summing every segment's overlap, the plainest reading of the rule.</summary>
    private static double EverySegmentShare(IReadOnlyList<Segment> segments, SegmentLabel label, double start, double end) =>
        end <= start ? 0 : segments.Where(s => s.Label == label).Sum(s => Math.Max(0, Math.Min(s.EndSeconds, end) - Math.Max(s.StartSeconds, start))) / (end - start);

    /// <summary>Two hours cut into 0.3–20 s segments of random labels, and 0.5 s blocks of random levels.</summary>
    private static (List<Segment> Segments, double Seconds, PreviewBlocks Blocks) LongFile(int seed, SegmentLabel[] labels)
    {
        var random = new Random(seed);
        var segments = new List<Segment>();
        for (var t = 0.0; t < 7200;)
        {
            var end = Math.Min(7200, Math.Round(t + 0.3 + random.NextDouble() * 19.7, 1));
            segments.Add(S(t, end, labels[random.Next(labels.Length)]));
            t = end;
        }
        var blocks = Blocks(7200, -30, (levels, embeddings) =>
        {
            for (var b = 0; b < levels.Length; b++)
            {
                levels[b] = -60 + 50 * (float)random.NextDouble();
                embeddings[b] = [-40 + 20 * (float)random.NextDouble(), -50 + 10 * (float)random.NextDouble()];
            }
        });
        return (segments, 7200, blocks);
    }

    [Fact]
    public void Over_thousands_of_segments_music_gets_the_loudest_window_of_every_block_start_judged_against_every_segment()
    {
        var (segments, seconds, blocks) = LongFile(3, [SegmentLabel.Music, SegmentLabel.Music, SegmentLabel.Speech, SegmentLabel.Noise]);
        Assert.True(segments.Count > 500, $"{segments.Count} segments");
        var preview = PreviewSelector.Select(segments, seconds, isSpeech: false, blocks);

        (double Start, double End, double Level, double Share)? best = null;
        for (var b = 0; b * 0.5 <= seconds - 30 + 1e-9; b++)
        {
            var (start, end) = (b * 0.5, Math.Min(seconds, b * 0.5 + 30));
            var share = EverySegmentShare(segments, SegmentLabel.Music, start, end);
            if (share < PreviewSelector.MinContentShare) continue;
            var (first, last) = ((int)Math.Ceiling(start / 0.5 - 0.5), Math.Min(blocks.LevelDb.Count, (int)Math.Ceiling(end / 0.5 - 0.5)));
            var level = 0.0;
            for (var i = first; i < last; i++) level += blocks.LevelDb[i];
            level /= last - first;
            if (best is null || level > best.Value.Level) best = (start, end, level, share);
        }
        Assert.NotNull(best);
        Assert.Equal((PreviewMode.Smart, best.Value.Start, best.Value.End, best.Value.Level, best.Value.Share),
            (preview.Mode, preview.StartSeconds, preview.EndSeconds, preview.BasisValue, preview.Confidence));
    }

    [Fact]
    public void Over_thousands_of_segments_speech_starts_after_a_pause_with_the_share_every_segment_gives()
    {
        var (segments, seconds, blocks) = LongFile(5, [SegmentLabel.Speech, SegmentLabel.Speech, SegmentLabel.Silence, SegmentLabel.Music]);
        var preview = PreviewSelector.Select(segments, seconds, isSpeech: true, blocks);
        Assert.Equal(PreviewMode.Smart, preview.Mode);
        var at = segments.FindIndex(s => s.StartSeconds == preview.StartSeconds);
        Assert.True(at > 0 && segments[at].Label == SegmentLabel.Speech && segments[at - 1].Label != SegmentLabel.Speech, $"starts at {preview.StartSeconds}");
        Assert.Equal(segments[at - 1].DurationSeconds, preview.BasisValue);
        Assert.Equal(EverySegmentShare(segments, SegmentLabel.Speech, preview.StartSeconds, preview.EndSeconds), preview.ContentShare);
    }

    [Fact]
    public void A_preview_survives_the_state_store_form()
    {
        // Tenths of a second and two-decimal shares read back as written, not as float's 31.299999237060547.
        var preview = new Preview(PreviewMode.Smart, 31.3, 91.3, 0.73, PreviewBasis.Pause, 1.2, 0.98);
        var stored = StoredPreview.AsStored(preview);
        Assert.Equal(preview, stored);
        Assert.Equal(preview.Reason, stored.Reason);
    }
}

public sealed class StoredSegmentationTests
{
    [Fact]
    public void Segment_boundaries_read_back_from_the_state_as_written()
    {
        Segment[] segments = [new(0, 16.3, SegmentLabel.Music, 0.85), new(16.3, 3599.9, SegmentLabel.Speech, 0.61)];
        var result = new SegmentationResult("/music/talk.mp3", 3599.9, segments, SpeechVerdict.Of(segments, 0.5), null, "segmenter-test");

        var stored = StoredSegmentation.AsStored(result, 0.5);

        Assert.Equal(segments, stored.Segments);
        Assert.Equal(3599.9, stored.DurationSeconds);
        Assert.True(stored.Verdict.IsSpeech);
    }
}
