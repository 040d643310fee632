using System.Text.RegularExpressions;

namespace SSIS.Batch.Engine.Segments;

/// <summary>Decoded clips to build mixtures from, by what they hold, with the Debian packages they came from.</summary>
public sealed record SourcePool(IReadOnlyList<float[]> Speech, IReadOnlyList<float[]> Music, IReadOnlyList<float[]> Effects,
    IReadOnlyList<string> Packages);

/// <summary>
/// Where the training and the evaluation audio come from. The two never share a package: training uses
/// wesnoth-1.16-music and planetblupi-music-ogg (music), asterisk-core-sounds-en-wav and espeak-ng (speech),
/// wesnoth-1.16-data (effects); evaluation set A uses lincity-ng-data and supertux-data (music), ktuberling-data (speech),
/// sound-theme-freedesktop and supertux-data's sounds (effects); evaluation set B, built after set A had been looked at,
/// uses widelands-data (music and effects), festival's kal voice (festvox-kallpc16k) and sound-theme-freedesktop's
/// spoken channel names (speech), and coloured noise. Effects that are voices (grunts, screams, spoken words) or music
/// (fanfares, horns, drums) are left out, since they would teach or test the wrong label.
/// </summary>
public static partial class SegmentCorpus
{
    public const double MusicExcerptSeconds = 75;
    public const int SyntheticSentences = 400;

    /// <summary>The training clips, decoded from the Debian package trees under <paramref name="cacheRoot"/> (the repository's .cache).</summary>
    public static SourcePool Training(string cacheRoot, string ffmpeg = "ffmpeg", string espeak = "espeak-ng", TextWriter? log = null)
    {
        var clips = new ClipCache(Path.Combine(cacheRoot, "audio-seg", "decoded-8k"), ffmpeg);
        var music = Files(Path.Combine(cacheRoot, "audio", "wesnoth-1.16-music"), "*.ogg")
            .Concat(Files(Path.Combine(cacheRoot, "audio", "planetblupi-music-ogg"), "*.ogg")).ToList();
        // Asterisk's silence/N.wav are digital silence (trimmed to nothing) and tt-monkeys.wav is monkeys screeching.
        var speech = Files(Path.Combine(cacheRoot, "audio", "asterisk-core-sounds-en-wav"), "*.wav").Where(f => !f.EndsWith("tt-monkeys.wav")).ToList();
        var effects = Files(Path.Combine(cacheRoot, "audio-seg", "wesnoth-1.16-data"), "*.ogg")
            .Concat(Files(Path.Combine(cacheRoot, "audio-seg", "wesnoth-1.16-data"), "*.wav"))
            .Where(f => !VoiceOrMusicEffect().IsMatch(Path.GetFileName(f))).ToList();
        log?.WriteLine($"  training sources: {music.Count} music tracks, {speech.Count} recorded prompts + espeak-ng, {effects.Count} effects");
        var synthetic = SyntheticSpeech.Render(espeak, Path.Combine(cacheRoot, "audio-seg", "espeak-train-v2"), SyntheticSentences, seed: 7, clips);
        return new SourcePool(
            speech.AsParallel().AsOrdered().Select(f => Trim(clips.ReadOrEmpty(f))).ToList().Concat(synthetic.Select(Trim)).Where(Long).ToList(),
            music.AsParallel().AsOrdered().Select(f => clips.ReadOrEmpty(f, 20, MusicExcerptSeconds)).Where(Long).ToList(),
            effects.AsParallel().AsOrdered().Select(f => Trim(clips.ReadOrEmpty(f))).Where(Long).ToList(),
            ["wesnoth-1.16-music", "planetblupi-music-ogg", "asterisk-core-sounds-en-wav", "espeak-ng", "wesnoth-1.16-data"]);
    }

    /// <summary>The evaluation clips, from packages training never reads.</summary>
    public static SourcePool Evaluation(string cacheRoot, string ffmpeg = "ffmpeg", TextWriter? log = null)
    {
        var clips = new ClipCache(Path.Combine(cacheRoot, "audio-seg", "decoded-8k"), ffmpeg);
        var seg = Path.Combine(cacheRoot, "audio-seg");
        var music = Files(Path.Combine(seg, "lincity-ng-data"), "*.ogg").Where(f => f.Contains("/music/"))
            .Concat(Files(Path.Combine(seg, "supertux-data"), "*.ogg").Where(f => f.Contains("/music/"))).ToList();
        var speech = Files(Path.Combine(seg, "ktuberling-data"), "*.ogg").ToList();
        var effects = Files(Path.Combine(seg, "sound-theme-freedesktop"), "*.oga")
            .Concat(Files(Path.Combine(seg, "supertux-data"), "*.wav").Where(f => f.Contains("/sounds/")))
            .Concat(Files(Path.Combine(seg, "supertux-data"), "*.ogg").Where(f => f.Contains("/sounds/")))
            .Where(f => !VoiceOrMusicEffect().IsMatch(Path.GetFileName(f))).ToList();
        log?.WriteLine($"  evaluation sources: {music.Count} music tracks, {speech.Count} recorded words, {effects.Count} effects");
        return new SourcePool(
            speech.AsParallel().AsOrdered().Select(f => Trim(clips.ReadOrEmpty(f))).Where(Long).ToList(),
            music.AsParallel().AsOrdered().Select(f => clips.ReadOrEmpty(f, 10, 150)).Where(c => c.Length > 30 * SegmentFeatures.SampleRateHz).ToList(),
            effects.AsParallel().AsOrdered().Select(f => Trim(clips.ReadOrEmpty(f))).Where(Long).ToList(),
            ["lincity-ng-data", "supertux-data", "ktuberling-data", "sound-theme-freedesktop"]);
    }

    /// <summary>
    /// Evaluation set B's clips: widelands-data's 31 tracks (150 s from 10 s in) and its work, farm and animal sounds
    /// (taverns' chatter, alerts and UI sounds left out); 200 festival sentences in the kal voice plus
    /// sound-theme-freedesktop's eight recorded channel names ("front left", ...), which set A left out.
    /// </summary>
    public static SourcePool EvaluationB(string cacheRoot, string ffmpeg = "ffmpeg", string text2wave = "text2wave", TextWriter? log = null)
    {
        var clips = new ClipCache(Path.Combine(cacheRoot, "audio-seg", "decoded-8k"), ffmpeg);
        var seg = Path.Combine(cacheRoot, "audio-seg");
        var widelands = Path.Combine(seg, "widelands-data", "usr", "share", "games", "widelands", "data");
        var music = Files(Path.Combine(widelands, "music"), "*.ogg").ToList();
        var effects = Files(Path.Combine(widelands, "sound"), "*.ogg").Where(f => !WidelandsVoiceOrAlert().IsMatch(f)).ToList();
        var recorded = Files(Path.Combine(seg, "sound-theme-freedesktop"), "audio-channel-*.oga").ToList();
        log?.WriteLine($"  evaluation B sources: {music.Count} music tracks, festival sentences + {recorded.Count} recorded channel names, {effects.Count} effects");
        var festival = SyntheticSpeech.RenderFestival(text2wave, Path.Combine(seg, "festival-eval-b"), 200, seed: 16, clips);
        return new SourcePool(
            festival.Select(Trim).Concat(recorded.Select(f => Trim(clips.ReadOrEmpty(f)))).Where(Long).ToList(),
            music.AsParallel().AsOrdered().Select(f => clips.ReadOrEmpty(f, 10, 150)).Where(c => c.Length > 30 * SegmentFeatures.SampleRateHz).ToList(),
            effects.AsParallel().AsOrdered().Select(f => Trim(clips.ReadOrEmpty(f))).Where(Long).ToList(),
            ["widelands-data", "festvox-kallpc16k", "sound-theme-freedesktop"]);
    }

    [GeneratedRegex(@"taverns|military|message|lobby|click|create_construction")]
    private static partial Regex WidelandsVoiceOrAlert();

    [GeneratedRegex(@"die|hit|laugh|groan|wail|ugg|chat|shriek|growl|fanfare|horn|wardrums|bell|gamestart|morning|night|audio-channel|audio-test|excellent|welldone|grunts|hurt|yeti|tada|lifeup|invincible|upgrade|phone|alarm|complete|totem|mr_tree|tux_|penny",
        RegexOptions.IgnoreCase)]
    private static partial Regex VoiceOrMusicEffect();

    private static IEnumerable<string> Files(string folder, string pattern) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, pattern, SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            : throw new DirectoryNotFoundException($"{folder} is missing: fetch its Debian package with 'apt-get download {Path.GetFileName(folder)}' " +
                                                   $"and 'dpkg-deb -x {Path.GetFileName(folder)}_*.deb {folder}' (README, Segments, Training: data provenance)");

    private static bool Long(float[] clip) => clip.Length >= SegmentFeatures.SampleRateHz / 4;

    /// <summary>The clip without its leading and trailing stretches 40 dB below its loudest 10 ms, so labels start where sound does.</summary>
    public static float[] Trim(float[] clip)
    {
        const int step = SegmentFeatures.SampleRateHz / 100;
        var windows = clip.Length / step;
        if (windows == 0) return clip;
        var energy = Enumerable.Range(0, windows).Select(w =>
        {
            var sum = 0.0;
            for (var i = w * step; i < (w + 1) * step; i++) sum += clip[i] * clip[i];
            return sum / step;
        }).ToArray();
        var threshold = energy.Max() * 1e-4;
        var first = Array.FindIndex(energy, e => e > threshold);
        var last = Array.FindLastIndex(energy, e => e > threshold);
        return first < 0 ? [] : clip[(first * step)..Math.Min(clip.Length, (last + 1) * step)];
    }
}
