using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Segments;

namespace SSIS.Batch.Tests.Analysis;

/// <summary>The scene label and the crop gate's rule, on hand-computed label times.</summary>
public class SceneTests
{
    [Fact]
    public void The_scene_is_speech_by_the_verdict_else_a_label_holding_half_the_time_else_other()
    {
        // speech 10, music 60, noise 5, silence 25 seconds: music holds 0.6 of the time.
        var music = SceneScores.Of([10, 60, 5, 25], isSpeech: false)!;
        Assert.Equal(Scene.Music, music.Scene);
        Assert.Equal([0.1, 0.6, 0.05, 0.25], music.Shares.Select(s => Math.Round(s, 6)));
        // No label holds half: other; the same times judged speech content: speech.
        Assert.Equal(Scene.Other, SceneScores.Of([30, 30, 30, 10], isSpeech: false)!.Scene);
        Assert.Equal(Scene.Speech, SceneScores.Of([30, 30, 30, 10], isSpeech: true)!.Scene);
        Assert.Equal(Scene.Silence, SceneScores.Of([0, 0, 0, 6], isSpeech: false)!.Scene);
        Assert.Null(SceneScores.Of([0, 0, 0, 0], isSpeech: false));
        Assert.Equal([3.0, 0, 0, 1.5], SceneScores.LabelSeconds([new Segment(0, 1.5, SegmentLabel.Silence, 1), new Segment(1.5, 4.5, SegmentLabel.Speech, 1)]));
    }

    [Fact]
    public void The_segmenter_share_is_judged_as_whole_files_are_and_window_shares_by_the_threshold()
    {
        var gate = new SpeechGate(WindowThreshold: 0.5, SpeechShare: 0.6);
        TrackAnalysis Crop(string detector, double share) => new(0, 30, "libsndfile", -14, -1, 0, 0, 0.1, 0.01, 1000, 100, 3000, 0.1, 0.1, 0.01, 1, 120,
            [], [], [], [], [], [], share, 100, detector);
        Assert.True(gate.IsSpeech(Crop("segmenter-0123456789ab", 0.6)));
        Assert.False(gate.IsSpeech(Crop("segmenter-0123456789ab", 0.55)));
        Assert.True(gate.IsSpeech(Crop("silero-v5", 0.55)));
        Assert.False(gate.IsSpeech(Crop("silero-v5", 0.5)));
    }

    [Fact]
    public void A_file_segmented_whole_takes_its_verdict_and_scene_from_its_segments_else_from_its_crop()
    {
        var whole = new SegmentationResult("/a.ogg", 10, [new Segment(0, 2, SegmentLabel.Speech, 0.9), new Segment(2, 10, SegmentLabel.Music, 0.9)],
            SpeechVerdict.Of([new Segment(0, 2, SegmentLabel.Speech, 0.9), new Segment(2, 10, SegmentLabel.Music, 0.9)], 0.5), null, "segmenter-x");
        var verdicts = new FileSpeechVerdicts(new SpeechGate(0.5, 0.5), [whole]);
        TrackAnalysis crop = new(0, 30, "libsndfile", -14, -1, 0, 0, 0.1, 0.01, 1000, 100, 3000, 0.1, 0.1, 0.01, 1, 120,
            [], [], [], [], [], [], 0.9, 100, "segmenter-x", [9, 1, 0, 0]);
        var a = verdicts.Of("/a.ogg", crop)!;
        Assert.Equal((false, Scene.Music, SpeechSource.WholeFile), (a.IsSpeech, a.Scene!.Scene, a.Source));
        Assert.Equal(0.8, a.Scene.Share(SegmentLabel.Music), 9);
        var b = verdicts.Of("/b.ogg", crop)!;
        Assert.Equal((true, Scene.Speech, SpeechSource.Crop), (b.IsSpeech, b.Scene!.Scene, b.Source));
        Assert.Null(verdicts.Of("/c.ogg", null));
    }
}
