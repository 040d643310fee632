using System.Diagnostics;
using SSIS.Batch.Engine.Fingerprint;

namespace SSIS.Batch.Tests.Native;

[Collection(Support.SerialCollection.Name)]
public class ChromaprintBindingTests
{
    private static short[] Chord(int seconds, double rootHz)
    {
        var samples = new short[seconds * ChromaprintFingerprinter.SampleRateHz];
        for (var i = 0; i < samples.Length; i++)
        {
            var t = i / (double)ChromaprintFingerprinter.SampleRateHz;
            var step = (int)(t * 2) % 4;
            var f = rootHz * Math.Pow(2, step / 12.0);
            samples[i] = (short)(8000 * (Math.Sin(2 * Math.PI * f * t) + Math.Sin(2 * Math.PI * f * 1.5 * t)));
        }
        return samples;
    }

    [Fact]
    public void Fingerprints_have_an_item_per_eighth_second_a_compressed_form_and_a_hash()
    {
        var fingerprint = ChromaprintFingerprinter.FromSamples(Chord(10, 220));
        // The first analysis window and the classifiers' filter width cost about twenty items at the start.
        Assert.InRange(fingerprint.Raw.Length, 10 / AudioFingerprint.ItemSeconds - 25, 10 / AudioFingerprint.ItemSeconds);
        Assert.StartsWith("AQAA", fingerprint.Compressed);
        Assert.Equal(ChromaprintFingerprinter.Hash(fingerprint.Raw), fingerprint.Hash);
        var other = ChromaprintFingerprinter.FromSamples(Chord(10, 330));
        Assert.NotEqual(fingerprint.Raw, other.Raw);
    }

    [Fact]
    public void Ten_thousand_fingerprints_leak_no_native_memory()
    {
        var samples = Chord(3, 261.6);
        for (var i = 0; i < 500; i++) ChromaprintFingerprinter.FromSamples(samples);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = Process.GetCurrentProcess().PrivateMemorySize64;
        for (var i = 0; i < 10_000; i++) ChromaprintFingerprinter.FromSamples(samples);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var grownMb = (Process.GetCurrentProcess().PrivateMemorySize64 - before) / 1e6;
        Assert.True(grownMb < 20, $"private memory grew {grownMb:0.0} MB over 10,000 fingerprints");
    }
}
