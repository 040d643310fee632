using SSIS.Batch.Engine.Learning;

namespace SSIS.Batch.Engine.Segments;

/// <summary>A built signal at <see cref="SegmentFeatures.SampleRateHz"/> and its true segments.</summary>
public sealed record LabelledAudio(float[] Samples, IReadOnlyList<Segment> Truth)
{
    public double DurationSeconds => Samples.Length / (double)SegmentFeatures.SampleRateHz;

    /// <summary>The true label at <paramref name="seconds"/>.</summary>
    public SegmentLabel LabelAt(double seconds) =>
        (Truth.FirstOrDefault(s => seconds >= s.StartSeconds && seconds < s.EndSeconds) ?? Truth[^1]).Label;
}

/// <summary>
/// Builds a signal piece by piece from a <see cref="SourcePool"/>, keeping the true label of every stretch: speech
/// (utterances at one level with natural pauses under 0.5 s, which stay speech), speech over a music bed 12–22 dB below it
/// (speech), music, effects and coloured noise (noise), and silence (digital zero or a noise floor below −62 dBFS).
/// </summary>
public sealed class MixtureBuilder(SourcePool pool, Rng rng)
{
    private const int Rate = SegmentFeatures.SampleRateHz;
    private readonly List<float> _samples = [];
    private readonly List<Segment> _truth = [];

    public double Seconds => _samples.Count / (double)Rate;

    public LabelledAudio Build()
    {
        var result = new LabelledAudio(_samples.ToArray(), _truth.ToList());
        _samples.Clear();
        _truth.Clear();
        return result;
    }

    /// <summary>
    /// Utterances with pauses of 0.15–0.45 s until at least <paramref name="seconds"/>, optionally over a music bed;
    /// with <paramref name="shortUtterances"/>, only clips under 1.5 s (single words and short phrases) with pauses of
    /// 0.2–0.9 s between them, as in a list of words read out, all of it speech. A music bed lies
    /// <paramref name="bedBelowDb"/> (12–22 dB when not given) below the speech. A <paramref name="voice"/> (training only) gives
    /// every utterance another speaker and recording chain, and lays its noise floor under the stretch.
    /// </summary>
    public MixtureBuilder Speech(double seconds, bool musicBed = false, double? levelDb = null, bool shortUtterances = false, double? bedBelowDb = null,
        VoiceVariety? voice = null)
    {
        var level = levelDb ?? Uniform(-30, -14);
        var candidates = shortUtterances ? pool.Speech.Where(c => c.Length < 1.5 * Rate).ToList() : pool.Speech;
        if (candidates.Count == 0) candidates = pool.Speech;
        var piece = new List<float>();
        var utterances = new List<(int Start, int Length)>();
        while (piece.Count < seconds * Rate)
        {
            if (piece.Count > 0) piece.AddRange(Floor(shortUtterances ? Uniform(0.2, 0.9) : Uniform(0.15, 0.45), Uniform(-80, -65)));
            var utterance = candidates[rng.Next(candidates.Count)];
            utterances.Add((piece.Count, 0));
            piece.AddRange(AtLevel(voice is null ? utterance : voice.Voice(utterance), level));
            utterances[^1] = (utterances[^1].Start, piece.Count - utterances[^1].Start);
        }
        var samples = piece.ToArray();
        if (voice?.FloorBelowDb is { } floorBelowDb)
        {
            var floor = AtLevel(ColouredNoise(samples.Length, voice.FloorColour), level - floorBelowDb);
            foreach (var (start, length) in voice.FloorUnderPauses ? [(0, samples.Length)] : utterances)
                for (var i = start; i < start + length; i++) samples[i] = Math.Clamp(samples[i] + floor[i], -1f, 1f);
        }
        if (musicBed) Add(samples, AtLevel(Excerpt(pool.Music[rng.Next(pool.Music.Count)], samples.Length), level - (bedBelowDb ?? Uniform(12, 22))));
        return Append(samples, SegmentLabel.Speech);
    }

    public MixtureBuilder Music(double seconds, double? levelDb = null) =>
        Append(Fade(AtLevel(Excerpt(pool.Music[rng.Next(pool.Music.Count)], (int)(seconds * Rate)), levelDb ?? Uniform(-30, -12))), SegmentLabel.Music);

    /// <summary>Effects back to back, or coloured noise (white, pink or brown), for <paramref name="seconds"/>.</summary>
    public MixtureBuilder Noise(double seconds, bool effects = true)
    {
        var level = Uniform(-35, -15);
        var count = (int)(seconds * Rate);
        if (!effects) return Append(AtLevel(ColouredNoise(count, rng.Next(3)), level), SegmentLabel.Noise);
        var piece = new List<float>();
        while (piece.Count < count) piece.AddRange(AtLevel(pool.Effects[rng.Next(pool.Effects.Count)], level + Uniform(-4, 4)));
        return Append(piece.Take(count).ToArray(), SegmentLabel.Noise);
    }

    public MixtureBuilder Silence(double seconds) =>
        Append(rng.NextDouble() < 0.3 ? new float[(int)(seconds * Rate)] : Floor(seconds, Uniform(-90, -62)), SegmentLabel.Silence);

    /// <summary>A second-order 300 Hz high-pass over everything so far: telephone-band audio.</summary>
    public MixtureBuilder TelephoneBand()
    {
        var alpha = (float)Math.Exp(-2 * Math.PI * 300 / Rate);
        for (var pass = 0; pass < 2; pass++)
        {
            float previousIn = 0, previousOut = 0;
            for (var i = 0; i < _samples.Count; i++)
            {
                var x = _samples[i];
                previousOut = alpha * (previousOut + x - previousIn);
                previousIn = x;
                _samples[i] = previousOut;
            }
        }
        return this;
    }

    public double Uniform(double low, double high) => low + (high - low) * rng.NextDouble();

    private MixtureBuilder Append(float[] samples, SegmentLabel label)
    {
        var start = Seconds;
        _samples.AddRange(samples);
        if (_truth.Count > 0 && _truth[^1].Label == label) _truth[^1] = _truth[^1] with { EndSeconds = Seconds };
        else _truth.Add(new Segment(start, Seconds, label, 1));
        return this;
    }

    private float[] Excerpt(float[] clip, int count)
    {
        var result = new float[count];
        var start = clip.Length > count ? rng.Next(clip.Length - count) : 0;
        for (var i = 0; i < count; i++) result[i] = clip[(start + i) % clip.Length];
        return result;
    }

    private float[] Floor(double seconds, double levelDb) => AtLevel(ColouredNoise((int)(seconds * Rate), 1), levelDb);

    private float[] ColouredNoise(int count, int colour)
    {
        var noise = new float[count];
        double b0 = 0, b1 = 0, b2 = 0, brown = 0;
        for (var i = 0; i < count; i++)
        {
            var white = rng.NextGaussian();
            switch (colour)
            {
                case 0:
                    noise[i] = (float)white;
                    break;
                case 1: // Paul Kellet's economy pink filter
                    b0 = 0.99765 * b0 + white * 0.0990460;
                    b1 = 0.96300 * b1 + white * 0.2965164;
                    b2 = 0.57000 * b2 + white * 1.0526913;
                    noise[i] = (float)(b0 + b1 + b2 + white * 0.1848);
                    break;
                default:
                    brown = 0.995 * brown + 0.1 * white;
                    noise[i] = (float)brown;
                    break;
            }
        }
        return noise;
    }

    /// <summary>A copy of <paramref name="clip"/> scaled to an RMS of <paramref name="levelDb"/> dBFS.</summary>
    private static float[] AtLevel(float[] clip, double levelDb)
    {
        var rms = Math.Sqrt(clip.Sum(x => (double)x * x) / Math.Max(1, clip.Length));
        var gain = rms > 1e-9 ? (float)(Math.Pow(10, levelDb / 20) / rms) : 0f;
        return clip.Select(x => Math.Clamp(x * gain, -1f, 1f)).ToArray();
    }

    private static float[] Fade(float[] clip)
    {
        var length = Math.Min(clip.Length / 2, Rate / 20);
        for (var i = 0; i < length; i++)
        {
            clip[i] *= i / (float)length;
            clip[^(i + 1)] *= i / (float)length;
        }
        return clip;
    }

    private static void Add(float[] target, float[] source)
    {
        for (var i = 0; i < target.Length; i++) target[i] = Math.Clamp(target[i] + source[i], -1f, 1f);
    }
}
