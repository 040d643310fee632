using SSIS.Batch.Engine.Learning;

namespace SSIS.Batch.Engine.Segments;

/// <summary>
/// One drawn speaker and recording chain for a stretch of training speech, so the few training voices (one recorded
/// speaker and espeak-ng) stand for many: voice height (played faster or slower, which moves pitch and formants together,
/// as a child's or a deep voice differs), a microphone or line band (high-pass 50–400 Hz, half the time a low-pass at
/// 1.8–3.9 kHz), a room (a Schroeder reverberator, RT60 0.2–0.9 s, a third of the time) and a recording's own noise floor
/// (hiss or hum 12–50 dB below the speech, two times in three; under the words only, as a trimmed clip has it, or under the
/// pauses too). Real recorded words of other speakers (ktuberling-data's, measured: floor a median 36 dB below the peak,
/// from 57 to 21; pitch 131–276 Hz) differ from Asterisk's prompts (floor 66 dB below, pitch 195–230 Hz) in exactly these.
/// </summary>
public sealed record VoiceVariety(double Speed, double HighPassHz, double? LowPassHz, double? ReverbSeconds, double ReverbWet,
    double? FloorBelowDb, int FloorColour, bool FloorUnderPauses)
{
    private const int Rate = SegmentFeatures.SampleRateHz;

    /// <summary>Only another voice height: <paramref name="speed"/> times as fast, nothing else changed.</summary>
    public static VoiceVariety SpeedOnly(double speed) => new(speed, 0, null, null, 0, null, 0, false);

    public static VoiceVariety Draw(Rng rng)
    {
        double Uniform(double low, double high) => low + (high - low) * rng.NextDouble();
        return new VoiceVariety(
            Speed: Uniform(0.8, 1.4),
            HighPassHz: Uniform(50, 400),
            LowPassHz: rng.NextDouble() < 0.5 ? Uniform(1800, 3900) : null,
            ReverbSeconds: rng.NextDouble() < 0.33 ? Uniform(0.2, 0.9) : null,
            ReverbWet: Uniform(0.15, 0.6),
            FloorBelowDb: rng.NextDouble() < 0.67 ? Uniform(12, 50) : null,
            FloorColour: rng.Next(3),
            FloorUnderPauses: rng.NextDouble() < 0.5);
    }

    /// <summary>The utterance as this speaker in this room through this chain would give it (same level scale; the caller sets the level).</summary>
    public float[] Voice(float[] utterance)
    {
        var result = Shifted(utterance, Speed);
        if (HighPassHz > 0) OnePole(result, HighPassHz, highPass: true);
        if (LowPassHz is { } lowPass) OnePole(result, lowPass, highPass: false);
        if (ReverbSeconds is { } rt60) Reverberate(result, rt60, ReverbWet);
        return result;
    }

    /// <summary><paramref name="clip"/> played <paramref name="factor"/> times as fast, by linear interpolation.</summary>
    public static float[] Shifted(float[] clip, double factor)
    {
        if (factor == 1 || clip.Length < 2) return (float[])clip.Clone();
        var result = new float[(int)((clip.Length - 1) / factor)];
        for (var i = 0; i < result.Length; i++)
        {
            var position = i * factor;
            var left = (int)position;
            var fraction = (float)(position - left);
            result[i] = clip[left] + fraction * (clip[Math.Min(left + 1, clip.Length - 1)] - clip[left]);
        }
        return result;
    }

    private static void OnePole(float[] x, double cutoffHz, bool highPass)
    {
        var alpha = (float)Math.Exp(-2 * Math.PI * cutoffHz / Rate);
        float low = 0;
        for (var i = 0; i < x.Length; i++)
        {
            low = (1 - alpha) * x[i] + alpha * low;
            x[i] = highPass ? x[i] - low : low;
        }
    }

    /// <summary>Four parallel feedback combs and two all-passes (Schroeder), mixed <paramref name="wet"/> into the dry signal.</summary>
    private static void Reverberate(float[] x, double rt60Seconds, double wet)
    {
        int[] combDelays = [238, 297, 329, 350]; // 29.7–43.7 ms at 8 kHz, mutually prime
        var tail = new float[x.Length];
        foreach (var delay in combDelays)
        {
            var gain = (float)Math.Pow(10, -3.0 * delay / Rate / rt60Seconds);
            var line = new float[x.Length];
            for (var i = 0; i < x.Length; i++) line[i] = x[i] + (i >= delay ? gain * line[i - delay] : 0);
            for (var i = 0; i < x.Length; i++) tail[i] += line[i] / combDelays.Length;
        }
        foreach (var delay in (int[])[40, 14])
        {
            const float g = 0.7f;
            var output = new float[x.Length];
            for (var i = 0; i < x.Length; i++)
                output[i] = -g * tail[i] + (i >= delay ? tail[i - delay] + g * output[i - delay] : 0);
            tail = output;
        }
        for (var i = 0; i < x.Length; i++) x[i] = (float)((1 - wet) * x[i] + wet * tail[i]);
    }
}
