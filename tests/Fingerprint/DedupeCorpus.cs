using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Fingerprint;

/// <summary>
/// A duplicate-detection corpus made from real music (Debian wesnoth-1.16-music): each source track becomes a
/// 75 s FLAC master plus nine copies of the same recording, and two tempo-changed (±6 %) versions that are different
/// recordings. All masters have the same duration, so every cross-track pair is a hard negative too. Beside them, 2 s
/// clips (too short for Chromaprint) of each source: a WAV, a bit-identical copy and a FLAC of it; clips of different
/// sources are the same length, so they are each other's hard negatives. And recordings of silence or a steady tone
/// (<see cref="AddPlainRecordings"/>).
/// </summary>
public sealed class DedupeCorpus : IDisposable
{
    public const double ExcerptSeconds = 75;

    private static readonly (string Name, string[] Arguments)[] SameRecording =
    [
        ("mp3-128k.mp3", ["-c:a", "libmp3lame", "-b:a", "128k"]),
        ("mp3-320k.mp3", ["-c:a", "libmp3lame", "-b:a", "320k"]),
        ("vorbis.ogg", ["-c:a", "libvorbis", "-q:a", "4"]),
        ("opus.opus", ["-c:a", "libopus", "-b:a", "96k"]),
        ("lossless.flac", ["-c:a", "flac", "-compression_level", "8"]),
        ("aac.m4a", ["-c:a", "aac", "-b:a", "160k"]),
        ("retagged.flac", ["-c", "copy", "-metadata", "title=Another Title", "-metadata", "artist=Someone Else"]),
        ("silence-2s.flac", ["-af", "adelay=2000:all=1", "-c:a", "flac"]),
        ("minus-6db.flac", ["-af", "volume=-6dB", "-c:a", "flac"]),
    ];

    private static readonly (string Name, string Filter)[] OtherRecordings =
    [
        ("tempo-plus-6pct.flac", "atempo=1.06"),
        ("tempo-minus-6pct.flac", "atempo=0.94"),
    ];

    public TempFolder Folder { get; } = new();

    /// <summary>Every file, with the recording it holds (tempo versions are recordings of their own).</summary>
    public IReadOnlyDictionary<string, string> RecordingOf { get; }

    private const int Sources = 6;

    public const double ClipSeconds = 2;

    public DedupeCorpus()
    {
        var music = Directory.GetFiles(Repo.WesnothMusic, "*.ogg").Order(StringComparer.Ordinal)
            .Where(f => new FileInfo(f).Length > 2_000_000).Take(Sources).ToList();
        var recordings = new Dictionary<string, string>();
        var jobs = new List<Action>();
        foreach (var (source, index) in music.Select((m, i) => (m, i)))
        {
            var family = $"track{index}";
            var master = Folder.File($"{family}/master.flac");
            Directory.CreateDirectory(Path.GetDirectoryName(master)!);
            Tools.Run("ffmpeg", "-v", "error", "-y", "-ss", "20", "-t", ExcerptSeconds.ToString(), "-i", source, "-c:a", "flac", master);
            recordings[master] = family;
            foreach (var (name, arguments) in SameRecording)
            {
                var target = Folder.File($"{family}/{name}");
                recordings[target] = family;
                jobs.Add(() => Tools.Run("ffmpeg", ["-v", "error", "-y", "-i", master, .. arguments, target]));
            }
            var clip = Folder.File($"clip{index}/clip.wav");
            Directory.CreateDirectory(Path.GetDirectoryName(clip)!);
            Tools.Run("ffmpeg", "-v", "error", "-y", "-ss", "40", "-t", ClipSeconds.ToString(), "-i", source, "-c:a", "pcm_s16le", clip);
            File.Copy(clip, Folder.File($"clip{index}/clip copy.wav"));
            recordings[clip] = recordings[Folder.File($"clip{index}/clip copy.wav")] = $"clip{index}";
            var clipFlac = Folder.File($"clip{index}/clip.flac");
            recordings[clipFlac] = $"clip{index}";
            jobs.Add(() => Tools.Run("ffmpeg", "-v", "error", "-y", "-i", clip, "-c:a", "flac", clipFlac));
            foreach (var (name, filter) in OtherRecordings)
            {
                var target = Folder.File($"{family}/{name}");
                recordings[target] = $"{family}/{name}";
                jobs.Add(() => Tools.Run("ffmpeg", "-v", "error", "-y", "-i", master, "-af", filter, "-c:a", "flac", target));
            }
        }
        AddPlainRecordings(music, recordings, jobs);
        Parallel.ForEach(jobs, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, job => job());
        File.Copy(Folder.File("plain/silence.flac"), Folder.File("plain/silence copy.flac"));
        RecordingOf = recordings;
    }

    /// <summary>
    /// Recordings whose crop is silence or a steady tone, as long as the masters: silence (and a bit-identical copy of
    /// it, its one duplicate), a 1.5 kHz sine, and three "hidden track" files (5 s of one source, silence, 5 s of
    /// another), each a recording of its own. Their fingerprints repeat one item, so they agree with each other.
    /// </summary>
    private void AddPlainRecordings(List<string> music, Dictionary<string, string> recordings, List<Action> jobs)
    {
        Directory.CreateDirectory(Folder.File("plain"));
        var length = ExcerptSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        recordings[Folder.File("plain/silence.flac")] = recordings[Folder.File("plain/silence copy.flac")] = "silence";
        Tools.Run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", $"anullsrc=r=44100:cl=stereo:d={length}", "-c:a", "flac", Folder.File("plain/silence.flac"));
        recordings[Folder.File("plain/sine.flac")] = "sine";
        jobs.Add(() => Tools.Run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", $"sine=frequency=1500:duration={length}", "-ac", "2",
            "-c:a", "flac", Folder.File("plain/sine.flac")));
        for (var i = 0; i < 3; i++)
        {
            var (first, second, target) = (music[i], music[i + 1], Folder.File($"plain/hidden-track-{i}.flac"));
            recordings[target] = $"hidden-track-{i}";
            jobs.Add(() => Tools.Run("ffmpeg", "-v", "error", "-y", "-ss", "30", "-t", "5", "-i", first, "-ss", "30", "-t", "5", "-i", second,
                "-filter_complex", $"[0:a]apad=whole_dur={ExcerptSeconds - 5}[a];[a][1:a]concat=n=2:v=0:a=1", "-c:a", "flac", target));
        }
    }

    public void Dispose() => Folder.Dispose();
}
