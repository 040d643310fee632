using SSIS.Batch.Engine.Dsp;

namespace SSIS.Batch.Tests.Dsp;

public class SpectralFeaturesTests
{
    private const int RateHz = 22050;

    private static float[] Sine(double hz, double seconds, double amplitude = 0.5) =>
        Enumerable.Range(0, (int)(seconds * RateHz)).Select(i => (float)(amplitude * Math.Sin(2 * Math.PI * hz * i / RateHz))).ToArray();

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

    [Theory]
    [InlineData(250)]
    [InlineData(1000)]
    [InlineData(4000)]
    public void A_sine_lands_in_the_mel_band_whose_centre_is_nearest(double hz)
    {
        var spectrogram = Spectrogram.Compute(Sine(hz, 1), RateHz);
        var filterbank = new MelFilterbank(RateHz, spectrogram.FftSize);
        var frame = SpectralFeatures.LogMelDb(spectrogram, filterbank)[50];
        var loudest = Array.IndexOf(frame, frame.Max());
        var nearest = filterbank.CentreHz.Select((c, i) => (Distance: Math.Abs(MelFilterbank.HzToMel(c) - MelFilterbank.HzToMel(hz)), i)).Min().i;
        Assert.Equal(nearest, loudest);
    }

    [Theory]
    [InlineData(440.0, 9)]        // A4
    [InlineData(261.6256, 0)]     // C4
    [InlineData(369.9944, 6)]     // F#4
    public void A_sine_lands_in_its_pitch_class(double hz, int pitchClass)
    {
        var chroma = SpectralFeatures.Chroma(Spectrogram.Compute(Sine(hz, 1), RateHz))[40];
        Assert.Equal(pitchClass, Array.IndexOf(chroma, chroma.Max()));
        Assert.Equal(1f, chroma.Max());
    }

    [Fact]
    public void The_rms_of_a_sine_is_its_amplitude_over_root_two()
    {
        var rms = SpectralFeatures.FrameRms(Sine(441, 1, amplitude: 0.8), 551, 220);
        Assert.All(rms[5..^5], r => Assert.Equal(0.8 / Math.Sqrt(2), r, 2));
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
        var spectrogram = Spectrogram.Compute(samples, RateHz);
        var onset = SpectralFeatures.OnsetStrength(SpectralFeatures.LogMelDb(spectrogram, new MelFilterbank(RateHz, spectrogram.FftSize)));
        var tempo = SpectralFeatures.TempoBpm(onset, spectrogram.HopSamples / (double)RateHz);
        Assert.InRange(tempo, bpm - 2, bpm + 2);
    }

    [Fact]
    public void Flatness_tells_noise_from_a_tone_and_centroid_follows_the_pitch()
    {
        var random = new Random(5);
        var noise = Enumerable.Range(0, RateHz).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var noiseFlatness = SpectralFeatures.Flatness(Spectrogram.Compute(noise, RateHz)).Skip(5).Average();
        var toneSpectrogram = Spectrogram.Compute(Sine(2000, 1), RateHz);
        Assert.True(noiseFlatness > 0.5, $"noise flatness {noiseFlatness}");
        Assert.True(SpectralFeatures.Flatness(toneSpectrogram).Skip(5).Average() < 0.05);
        Assert.InRange(SpectralFeatures.CentroidHz(toneSpectrogram)[50], 1900, 2100);
        Assert.InRange(SpectralFeatures.RolloffHz(toneSpectrogram)[50], 1950, 2100);
    }

    [Fact]
    public void Mfcc_zero_is_the_scaled_mean_log_energy_and_flux_rises_at_an_onset()
    {
        float[][] logMel = [Enumerable.Repeat(-20f, 64).ToArray()];
        Assert.Equal(-20 * Math.Sqrt(64), SpectralFeatures.Mfcc(logMel)[0][0], 3);
        Assert.All(SpectralFeatures.Mfcc(logMel)[0][1..], c => Assert.Equal(0, c, 3));

        var samples = new float[RateHz];
        Sine(1000, 0.5).CopyTo(samples, RateHz / 2);
        var flux = SpectralFeatures.Flux(Spectrogram.Compute(samples, RateHz));
        var onsetFrame = (RateHz / 2) / 220;
        Assert.Equal(Enumerable.Range(onsetFrame - 3, 7).MaxBy(f => flux[f]), Array.IndexOf(flux, flux.Max()));
    }
}
