using System.Text.Json;
using SSIS.Batch.Engine.Learning;
using SSIS.Batch.Engine.Output;

namespace SSIS.Batch.Engine.Segments;

/// <summary>One evaluation file: its kind (podcast, song-with-intro, speech, music), where it is and its true segments.</summary>
public sealed record EvaluationFile(string Kind, string Path, IReadOnlyList<Segment> Truth);

/// <summary>
/// The segmentation evaluation set, built from the evaluation packages only (<see cref="SegmentCorpus.Evaluation"/>)
/// with a fixed seed and written as 8 kHz 16-bit WAV files plus <c>truth.json</c>: podcast-like files of 3–8 minutes
/// (jingle, speech blocks with natural pauses, speech over a quiet music bed, a music interlude, noise, silence, more
/// speech, an outro), songs with a 5 s spoken introduction, and plain speech-only and music-only files.
/// </summary>
public static class EvaluationSet
{
    public const string TruthFile = "truth.json";

    public static IReadOnlyList<EvaluationFile> Build(SourcePool pool, string folder, ulong seed = 15, int podcasts = 8, int songs = 8, int plainFiles = 40)
    {
        var rng = new Rng(seed);
        var files = new List<EvaluationFile>();
        Directory.CreateDirectory(folder);
        void Write(string kind, int index, LabelledAudio audio)
        {
            var path = Path.Combine(folder, $"{kind}-{index:00}.wav");
            AtomicFile.Write(path, temp => WavFile.Write(temp, audio.Samples, SegmentFeatures.SampleRateHz));
            files.Add(new EvaluationFile(kind, Path.GetFileName(path), audio.Truth));
        }
        for (var i = 0; i < podcasts; i++) Write("podcast", i, Podcast(new MixtureBuilder(pool, rng.Fork())));
        for (var i = 0; i < songs; i++)
        {
            var b = new MixtureBuilder(pool, rng.Fork());
            Write("song", i, b.Silence(b.Uniform(0.3, 0.8)).Speech(5).Silence(b.Uniform(0.5, 1)).Music(b.Uniform(60, 140)).Build());
        }
        for (var i = 0; i < plainFiles; i++)
        {
            var b = new MixtureBuilder(pool, rng.Fork());
            b.Silence(b.Uniform(0.5, 1.5)).Speech(b.Uniform(3, 15)).Silence(b.Uniform(0.5, 1.5));
            if (i % 3 == 0) b.TelephoneBand();
            Write("speech", i, b.Build());
        }
        for (var i = 0; i < plainFiles; i++)
        {
            var b = new MixtureBuilder(pool, rng.Fork());
            Write("music", i, b.Music(b.Uniform(20, 90)).Build());
        }
        AtomicFile.WriteAllText(Path.Combine(folder, TruthFile), JsonSerializer.Serialize(files, new JsonSerializerOptions { WriteIndented = true }));
        return files;
    }

    public static IReadOnlyList<EvaluationFile> Load(string folder) =>
        JsonSerializer.Deserialize<List<EvaluationFile>>(File.ReadAllText(Path.Combine(folder, TruthFile)))
        ?? throw new InvalidDataException($"{folder}/{TruthFile} is empty");

    private static LabelledAudio Podcast(MixtureBuilder b)
    {
        b.Music(b.Uniform(6, 12)).Silence(b.Uniform(0.6, 1.2));
        b.Speech(b.Uniform(30, 60)).Silence(b.Uniform(0.8, 1.5)).Speech(b.Uniform(20, 50)).Silence(b.Uniform(0.7, 1.2));
        b.Speech(b.Uniform(30, 60), musicBed: true);
        b.Music(b.Uniform(15, 30)).Noise(b.Uniform(3, 6)).Silence(b.Uniform(2, 3));
        b.Speech(b.Uniform(30, 70)).Silence(b.Uniform(0.6, 1)).Speech(b.Uniform(20, 40)).Silence(b.Uniform(0.6, 1));
        b.Music(b.Uniform(10, 20));
        return b.Build();
    }
}

/// <summary>Mono 16-bit PCM WAV.</summary>
public static class WavFile
{
    public static void Write(string path, float[] samples, int sampleRateHz)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write("RIFF"u8);
        writer.Write(36 + samples.Length * 2);
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1);
        writer.Write((short)1);
        writer.Write(sampleRateHz);
        writer.Write(sampleRateHz * 2);
        writer.Write((short)2);
        writer.Write((short)16);
        writer.Write("data"u8);
        writer.Write(samples.Length * 2);
        foreach (var s in samples) writer.Write((short)Math.Round(Math.Clamp(s, -1f, 1f) * 32767));
    }
}
