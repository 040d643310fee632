using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Dsp;

namespace SSIS.Batch.Tests.Dsp;

public class SpectralFeaturesTests
{
    private const int RateHz = 22050;
    private static readonly Stft Stft = new(RateHz);

    private static float[] Sine(double hz, double seconds, double amplitude = 0.5) =>
        Enumerable.Range(0, (int)(seconds * RateHz)).Select(i => (float)(amplitude * Math.Sin(2 * Math.PI * hz * i / RateHz))).ToArray();

    private static float[] PowerOfFrame(float[] samples, int frame)
    {
        var power = new float[Stft.Bins];
        Stft.Power(samples, frame, power);
        return power;
    }

    [Fact]
    public void Fft_matches_a_direct_dft()
    {
        var random = new Random(3);
        var real = Enumerable.Range(0, 64).Select(_ => (float)random.NextDouble()).ToArray();
        var imaginary = new float[64];
        var expected = Enumerable.Range(0, 64).Select(k =>
            (Re: Enumerable.Range(0, 64).Sum(n => real[n] * Math.Cos(-2 * Math.PI * k * n / 64)),
             Im: Enumerable.Range(0, 64).Sum(n => real[n] * Math.Sin(-2 * Math.PI * k * n / 64)))).ToArray();
        new Fft(64).Forward(real, imaginary);
        for (var k = 0; k < 64; k++)
        {
            Assert.Equal(expected[k].Re, real[k], 3);
            Assert.Equal(expected[k].Im, imaginary[k], 3);
        }
    }

    [Fact]
    public void The_real_power_spectrum_matches_a_direct_dft_of_the_real_signal()
    {
        var random = new Random(4);
        var signal = Enumerable.Range(0, 128).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var power = new float[65];
        new Fft(64).RealPowerSpectrum(signal, new float[64], new float[64], power);
        for (var k = 0; k <= 64; k++)
        {
            var re = Enumerable.Range(0, 128).Sum(n => signal[n] * Math.Cos(-2 * Math.PI * k * n / 128));
            var im = Enumerable.Range(0, 128).Sum(n => signal[n] * Math.Sin(-2 * Math.PI * k * n / 128));
            Assert.Equal(re * re + im * im, power[k], 3);
        }
    }

    [Theory]
    [InlineData(250)]
    [InlineData(1000)]
    [InlineData(4000)]
    public void A_sine_lands_in_the_mel_band_whose_centre_is_nearest(double hz)
    {
        var filterbank = new MelFilterbank(RateHz, Stft.FftSize);
        var logMel = new float[filterbank.Bands];
        SpectralFeatures.LogMelDb(PowerOfFrame(Sine(hz, 1), 50), filterbank, logMel);
        var loudest = Array.IndexOf(logMel, logMel.Max());
        var nearest = filterbank.CentreHz.Select((c, i) => (Distance: Math.Abs(MelFilterbank.HzToMel(c) - MelFilterbank.HzToMel(hz)), i)).Min().i;
        Assert.Equal(nearest, loudest);
    }

    [Theory]
    [InlineData(440.0, 9)]        // A4
    [InlineData(261.6256, 0)]     // C4
    [InlineData(369.9944, 6)]     // F#4
    public void A_sine_lands_in_its_pitch_class(double hz, int pitchClass)
    {
        var chroma = new float[12];
        SpectralFeatures.Chroma(PowerOfFrame(Sine(hz, 1), 40), new ChromaMap(RateHz, Stft.FftSize), chroma);
        Assert.Equal(pitchClass, Array.IndexOf(chroma, chroma.Max()));
        Assert.Equal(1f, chroma.Max());
    }

    [Fact]
    public void The_rms_of_a_sine_is_its_amplitude_over_root_two()
    {
        var rms = SpectralFeatures.FrameRms(Sine(441, 1, amplitude: 0.8), 551, 220);
        Assert.All(rms[5..^5], r => Assert.Equal(0.8 / Math.Sqrt(2), r, 2));
        Assert.Equal(0.8 / Math.Sqrt(2), FeatureSummary.Compute(Sine(441, 2, amplitude: 0.8), _ => Range.All).RmsMean, 2);
    }

    [Theory]
    [InlineData(120)]
    [InlineData(95)]
    [InlineData(150)]
    public void A_click_track_gives_its_tempo_within_two_bpm(double bpm)
    {
        var samples = new float[30 * RateHz];
        var period = 60.0 / bpm * RateHz;
        for (var beat = 0.0; beat < samples.Length - 200; beat += period)
            for (var i = 0; i < 200; i++)
                samples[(int)beat + i] = (float)(0.8 * Math.Sin(2 * Math.PI * 1500 * i / RateHz) * Math.Exp(-i / 40.0));
        Assert.InRange(FeatureSummary.Compute(samples, _ => Range.All).TempoBpm, bpm - 2, bpm + 2);
    }

    [Fact]
    public void Flatness_tells_noise_from_a_tone_and_centroid_and_rolloff_follow_the_pitch()
    {
        var random = new Random(5);
        var noise = Enumerable.Range(0, RateHz).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var scratch = new float[Stft.Bins];
        var binHz = Enumerable.Range(0, Stft.Bins).Select(k => (float)Stft.BinHz(k)).ToArray();
        Assert.True(SpectralFeatures.Flatness(PowerOfFrame(noise, 50), scratch) > 0.4);
        var tone = PowerOfFrame(Sine(2000, 1), 50);
        Assert.True(SpectralFeatures.Flatness(tone, scratch) < 0.05);
        Assert.InRange(SpectralFeatures.CentroidHz(tone, binHz), 1900, 2100);
        Assert.InRange(SpectralFeatures.RolloffHz(tone, binHz[1]), 1950, 2100);
        Assert.True(FeatureSummary.Compute(noise, _ => Range.All).FlatnessMean > 0.4);
    }

    [Fact]
    public void Mfcc_zero_is_the_scaled_mean_log_energy_and_flux_and_onset_rise_at_an_onset()
    {
        var mfcc = new float[20];
        new Dct(64, 20).Apply(Enumerable.Repeat(-20f, 64).ToArray(), mfcc);
        Assert.Equal(-20 * Math.Sqrt(64), mfcc[0], 3);
        Assert.All(mfcc[1..], c => Assert.Equal(0, c, 3));

        var samples = new float[RateHz];
        Sine(1000, 0.5).CopyTo(samples, RateHz / 2);
        var onsetFrame = RateHz / 2 / Stft.HopSamples;
        float FluxAt(int frame)
        {
            var (now, before) = (new float[Stft.Bins], new float[Stft.Bins]);
            SpectralFeatures.NormalisedMagnitude(PowerOfFrame(samples, frame), now);
            SpectralFeatures.NormalisedMagnitude(PowerOfFrame(samples, frame - 1), before);
            return SpectralFeatures.Flux(now, before, new float[Stft.Bins]);
        }
        var fluxes = Enumerable.Range(1, Stft.FrameCount(samples.Length) - 1).ToDictionary(f => f, FluxAt);
        var peak = fluxes.MaxBy(p => p.Value).Key;
        Assert.InRange(peak, onsetFrame - 3, onsetFrame + 3);
        Assert.True(FeatureSummary.Compute(samples, _ => Range.All).OnsetMean > 0);
    }
}
