using System.Diagnostics;
using System.Globalization;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Learning;

namespace SSIS.Batch.Engine.Segments;

/// <summary>
/// Sentences spoken by espeak-ng in varied voices, speeds and pitches (training), or by festival's kal voice
/// (festvox-kallpc16k, evaluation set B only) at varied speeds, drawn from a seed, so synthetic speech is the same on every
/// run. Rendered WAV files are kept in a folder and reused.
/// </summary>
public static class SyntheticSpeech
{
    private static readonly string[] Voices = ["en-us", "en-gb", "en-gb-scotland", "en-029", "de", "fr-fr", "es", "it", "nl", "pt", "pl", "sv"];
    private static readonly string[] Variants = ["m1", "m2", "m3", "m4", "f1", "f2", "f3", "f4", "klatt", "croak"];
    private static readonly string[] Words = ("the a of and to in is you that it he was for on are as with his they at be this have from or one had by " +
        "word but not what all were we when your can said there use an each which she do how their if will up other about out many then them these " +
        "so some her would make like him into time has look two more write go see number no way could people my than first water been call who oil " +
        "its now find long down day did get come made may part over new sound take only little work know place year live me back give most very after " +
        "thing our just name good sentence man think say great where help through much before line right too mean old any same tell boy follow came " +
        "want show also around form three small set put end does another well large must big even such because turn here why ask went men read need " +
        "land different home us move try kind hand picture again change off play spell air away animal house point page letter mother answer found study").Split(' ');

    /// <summary>Decoded 8 kHz clips of <paramref name="count"/> sentences.</summary>
    public static IReadOnlyList<float[]> Render(string espeak, string folder, int count, ulong seed, ClipCache clips)
    {
        Directory.CreateDirectory(folder);
        var rng = new Rng(seed);
        var jobs = Enumerable.Range(0, count).Select(i =>
        {
            // Three in ten are one to three words, as a list of words read out is.
            var words = Enumerable.Range(0, rng.NextDouble() < 0.3 ? 1 + rng.Next(3) : 6 + rng.Next(14)).Select(_ => Words[rng.Next(Words.Length)]);
            return (Index: i, Text: string.Join(' ', words) + ".", Voice: $"{Voices[rng.Next(Voices.Length)]}+{Variants[rng.Next(Variants.Length)]}",
                Speed: 120 + rng.Next(80), Pitch: 25 + rng.Next(50));
        }).ToList();
        return jobs.AsParallel().AsOrdered().Select(job =>
        {
            var path = Path.Combine(folder, $"{job.Index:000}.wav");
            if (!File.Exists(path))
                Run(espeak, ["-v", job.Voice, "-s", job.Speed.ToString(CultureInfo.InvariantCulture), "-p", job.Pitch.ToString(CultureInfo.InvariantCulture),
                    "-w", path + ".tmp", job.Text], "install espeak-ng (apt-get install espeak-ng)", path);
            return clips.Read(path);
        }).ToList();
    }

    /// <summary>Decoded 8 kHz clips of <paramref name="count"/> sentences in festival's kal voice, each at a duration stretch of 0.8–1.3.</summary>
    public static IReadOnlyList<float[]> RenderFestival(string text2wave, string folder, int count, ulong seed, ClipCache clips)
    {
        Directory.CreateDirectory(folder);
        var rng = new Rng(seed);
        var jobs = Enumerable.Range(0, count).Select(i =>
            (Index: i, Text: string.Join(' ', Enumerable.Range(0, 6 + rng.Next(14)).Select(_ => Words[rng.Next(Words.Length)])) + ".",
                Stretch: 0.8 + 0.5 * rng.NextDouble())).ToList();
        return jobs.AsParallel().AsOrdered().Select(job =>
        {
            var path = Path.Combine(folder, $"{job.Index:000}.wav");
            if (!File.Exists(path))
            {
                File.WriteAllText(path + ".txt", job.Text);
                Run(text2wave, ["-eval", $"(voice_kal_diphone)", "-eval", string.Create(CultureInfo.InvariantCulture, $"(Parameter.set 'Duration_Stretch {job.Stretch:0.00})"),
                    "-o", path + ".tmp", path + ".txt"], "install festival and its voice (apt-get install festival festvox-kallpc16k)", path);
                File.Delete(path + ".txt");
            }
            return clips.Read(path);
        }).ToList();
    }

    private static void Run(string program, string[] arguments, string installHint, string path)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = ChildProcesses.Start(start, installHint);
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        ChildProcesses.Forget(process);
        if (process.ExitCode != 0 || !File.Exists(path + ".tmp"))
            throw new InvalidOperationException($"{program} exited {process.ExitCode}: {errors.Result} ({installHint})");
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
