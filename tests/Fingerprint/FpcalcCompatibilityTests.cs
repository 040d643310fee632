using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Fingerprint;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Fingerprint;

/// <summary>The acoustid source must give what fpcalc gives, item for item, so tracks can be looked up on AcoustID.</summary>
public class FpcalcCompatibilityTests
{
    private static (AudioFingerprint Fingerprint, string Decoder) OurRaw(string path)
    {
        var properties = new AudioProber(new FfprobeReader()).Probe(path).Properties!;
        using var source = new AudioDecoder().Open(path, properties);
        return (new ChromaprintFingerprinter().Compute(source, ChromaprintFingerprinter.AcoustIdSeconds), source.DecoderName);
    }

    [Fact]
    public void Raw_fingerprints_are_identical_to_fpcalc_on_real_files_of_every_codec()
    {
        using var folder = new TempFolder();
        var music = Directory.GetFiles(Repo.WesnothMusic, "*.ogg").Order().ToList();
        var source = music[4];
        var files = new List<string> { music[2], source, music[20] };
        files.Add(Directory.GetFiles(Repo.AsteriskSpeech, "*.wav").Order().First(f => new FileInfo(f).Length > 100_000));
        foreach (var (name, args) in new[]
                 {
                     ("t.mp3", new[] { "-c:a", "libmp3lame", "-b:a", "192k" }),
                     ("t.flac", new[] { "-c:a", "flac" }),
                     ("t.opus", new[] { "-c:a", "libopus", "-b:a", "96k" }),
                     ("t.m4a", new[] { "-c:a", "aac", "-b:a", "160k" }),
                     ("t.wav", new[] { "-c:a", "pcm_s16le" }),
                 })
        {
            var target = folder.File(name);
            Tools.Run("ffmpeg", ["-v", "error", "-y", "-i", source, "-t", "150", .. args, target]);
            files.Add(target);
        }

        foreach (var file in files)
        {
            var expected = Fpcalc.Raw(file);
            var (fingerprint, decoder) = OurRaw(file);
            var actual = fingerprint.Raw;
            Assert.Equal(file.EndsWith(".m4a") ? FfmpegPipeSource.Name : SndfileSource.Name, decoder);
            var differing = expected.Zip(actual).Count(p => p.First != p.Second);
            Assert.True(expected.Length == actual.Length && differing == 0,
                $"{Path.GetFileName(file)}: fpcalc {expected.Length} items, ours {actual.Length}, {differing} differ");
        }
    }

    [Fact]
    public void The_compressed_form_encoded_from_the_raw_items_is_fpcalcs()
    {
        // The compressed form is encoded from the raw items when written, not kept from the fingerprinting context:
        // fpcalc's raw items must encode to fpcalc's compressed form.
        foreach (var file in Directory.GetFiles(Repo.WesnothMusic, "*.ogg").Order().Take(3))
            Assert.Equal(Fpcalc.Compressed(file), new AudioFingerprint(Fpcalc.Raw(file), 0, 120).Compressed);
        Assert.Equal("", new AudioFingerprint([], 0, 0).Compressed);
    }
}
