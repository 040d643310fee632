using SSIS.Batch.Engine.Learning;
using SSIS.Batch.Engine.Segments;

namespace SSIS.Batch.Tests.Segments;

/// <summary>The training speech's voice and recording-chain variety, checked on tones whose answers are known.</summary>
public class VoiceVarietyTests
{
    private const int Rate = SegmentFeatures.SampleRateHz;

    private static readonly VoiceVariety Plain = new(Speed: 1, HighPassHz: 0, LowPassHz: null, ReverbSeconds: null, ReverbWet: 0,
        FloorBelowDb: null, FloorColour: 0, FloorUnderPauses: false);

    private static float[] Tone(double hz, double seconds) =>
        Enumerable.Range(0, (int)(seconds * Rate)).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * hz * i / Rate))).ToArray();

    private static double Rms(ReadOnlySpan<float> x)
    {
        var sum = 0.0;
        foreach (var v in x) sum += v * (double)v;
        return Math.Sqrt(sum / x.Length);
    }

    /// <summary>Upward zero crossings per second: a tone's frequency.</summary>
    private static double Frequency(float[] x)
    {
        var crossings = 0;
        for (var i = 1; i < x.Length; i++) if (x[i - 1] < 0 && x[i] >= 0) crossings++;
        return crossings * Rate / (double)x.Length;
    }

    [Fact]
    public void A_faster_voice_is_shorter_and_higher_by_the_same_factor()
    {
        var voiced = (Plain with { Speed = 1.25 }).Voice(Tone(200, 2));
        Assert.InRange(voiced.Length, 0.79 * Rate * 2, 0.81 * Rate * 2);
        Assert.InRange(Frequency(voiced), 245, 255);
    }

    [Fact]
    public void The_band_limits_take_out_what_lies_beyond_them_and_keep_what_lies_within()
    {
        var telephone = Plain with { HighPassHz = 300, LowPassHz = 2000 };
        var low = telephone.Voice(Tone(60, 1));
        var middle = telephone.Voice(Tone(800, 1));
        var high = telephone.Voice(Tone(3800, 1));
        var input = Rms(Tone(800, 1));
        Assert.True(Rms(low.AsSpan(Rate / 2)) < 0.3 * input, $"60 Hz kept {Rms(low.AsSpan(Rate / 2)) / input:P0}");
        Assert.True(Rms(high.AsSpan(Rate / 2)) < 0.6 * input, $"3.8 kHz kept {Rms(high.AsSpan(Rate / 2)) / input:P0}");
        Assert.True(Rms(middle.AsSpan(Rate / 2)) > 0.7 * input, $"800 Hz kept only {Rms(middle.AsSpan(Rate / 2)) / input:P0}");
    }

    [Fact]
    public void A_room_leaves_a_tail_that_decays_after_the_sound_stops()
    {
        var burst = Tone(500, 0.3).Concat(new float[Rate]).ToArray();
        var room = (Plain with { ReverbSeconds = 0.6, ReverbWet = 0.5 }).Voice(burst);
        var justAfter = Rms(room.AsSpan((int)(0.35 * Rate), Rate / 10));
        var later = Rms(room.AsSpan((int)(0.85 * Rate), Rate / 10));
        Assert.True(justAfter > 0.01, $"no tail: {justAfter}");
        Assert.True(later < justAfter / 5, $"the tail does not decay: {justAfter} then {later}");
        Assert.Equal(0.0, Rms(Plain.Voice(burst).AsSpan((int)(0.35 * Rate), Rate / 10)), 6);
    }

    [Fact]
    public void The_same_seed_draws_the_same_chains_and_they_vary()
    {
        var rng = new Rng(3);
        var first = Enumerable.Range(0, 50).Select(_ => VoiceVariety.Draw(rng)).ToList();
        var again = new Rng(3);
        Assert.All(first, v => Assert.Equal(v, VoiceVariety.Draw(again)));
        Assert.InRange(first.Min(v => v.Speed), 0.8, 0.9);
        Assert.InRange(first.Max(v => v.Speed), 1.3, 1.4);
        Assert.Contains(first, v => v.ReverbSeconds is null);
        Assert.Contains(first, v => v.ReverbSeconds is not null);
        Assert.Contains(first, v => v.FloorBelowDb is null);
        Assert.Contains(first, v => v.FloorBelowDb is not null);
    }
}
