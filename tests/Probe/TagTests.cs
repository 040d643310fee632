using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Probe;

/// <summary>Tags written by ffmpeg (and POPM by <see cref="Id3Writer"/>) in every container, read by the header probe.</summary>
public class TagTests
{
    private readonly AudioProber _prober = new(new FfprobeReader());

    private static readonly string[] FullMetadata =
    [
        "-metadata", "title=Knalgan Theme", "-metadata", "artist=Doug Kaufman", "-metadata", "album=Wesnoth ünicode",
        "-metadata", "album_artist=Various", "-metadata", "composer=Ryan Reilly", "-metadata", "track=7/12",
        "-metadata", "disc=2/3", "-metadata", "date=2012-05-01", "-metadata", "genre=Soundtrack",
    ];

    /// <summary>Suffix, ffmpeg output arguments, and whether the container keeps album artist, composer and disc.</summary>
    public static TheoryData<string, string[], bool> Containers => new()
    {
        { "v24.mp3", ["-c:a", "libmp3lame", "-b:a", "96k"], true },
        { "v23.mp3", ["-c:a", "libmp3lame", "-b:a", "96k", "-id3v2_version", "3"], true },
        { "ogg", ["-c:a", "libvorbis", "-f", "ogg"], true },
        { "opus", ["-c:a", "libopus", "-f", "ogg"], true },
        { "flac", ["-c:a", "flac"], true },
        { "m4a", ["-c:a", "aac", "-f", "mp4"], true },
        // QuickTime metadata: a 'keys' box names the items (ffmpeg's only way to put a rating in an M4A).
        { "keys.m4a", ["-c:a", "aac", "-f", "mp4", "-movflags", "use_metadata_tags"], true },
        { "wav", ["-c:a", "pcm_s16le"], false },
    };

    private static string Make(TempFolder folder, string name, IEnumerable<string> metadata, IEnumerable<string> output)
    {
        var path = folder.File(name);
        Tools.Run("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=3", "-ac", "2", .. metadata, .. output, path]);
        return path;
    }

    private AudioTags TagsOf(string path)
    {
        var outcome = _prober.Probe(path);
        Assert.Equal(ProbeMethod.Header, outcome.Method);
        return outcome.Properties?.Tags ?? throw new Xunit.Sdk.XunitException($"no tags: {outcome}");
    }

    [Theory]
    [MemberData(nameof(Containers))]
    public void Every_container_s_tags_are_read_in_the_probe_pass(string suffix, string[] output, bool keepsEveryField)
    {
        using var folder = new TempFolder();
        var tags = TagsOf(Make(folder, "tagged." + suffix, FullMetadata, output));
        Assert.Equal("Knalgan Theme", tags.Title);
        Assert.Equal("Doug Kaufman", tags.Artist);
        Assert.Equal("Wesnoth ünicode", tags.Album);
        Assert.Equal(7, tags.TrackNumber);
        Assert.Equal(2012, tags.Year);
        Assert.Equal("Soundtrack", tags.Genre);
        Assert.Null(tags.Rating);
        if (!keepsEveryField) return; // RIFF INFO has no album artist, composer or disc field
        Assert.Equal("Various", tags.AlbumArtist);
        Assert.Equal("Ryan Reilly", tags.Composer);
        Assert.Equal(2, tags.DiscNumber);
    }

    [Fact]
    public void An_id3v1_tag_alone_gives_title_artist_album_year_track_and_genre()
    {
        using var folder = new TempFolder();
        // ffmpeg writes the ID3v1 tag only beside an ID3v2 one: cut the ID3v2 tag off (its size is in its header).
        var both = File.ReadAllBytes(Make(folder, "v1.mp3", FullMetadata, ["-c:a", "libmp3lame", "-write_id3v1", "1"]));
        var v2Bytes = 10 + ((both[6] << 21) | (both[7] << 14) | (both[8] << 7) | both[9]);
        var tags = TagsOf(folder.Write("v1-only.mp3", both[v2Bytes..]));
        Assert.Equal(new AudioTags("Knalgan Theme", "Doug Kaufman", "Wesnoth ünicode", TrackNumber: 7, Year: 2012, Genre: "Soundtrack"), tags);
    }

    [Theory]
    [InlineData(1, 0.2f)]
    [InlineData(64, 0.4f)]
    [InlineData(128, 0.6f)]
    [InlineData(196, 0.8f)]
    [InlineData(255, 1.0f)]
    public void Popm_ratings_map_to_stars_as_media_players_write_them(byte popm, float rating)
    {
        using var folder = new TempFolder();
        var path = Make(folder, "rated.mp3", [], ["-c:a", "libmp3lame", "-id3v2_version", "0"]);
        Id3Writer.PrependTag(path, new Dictionary<string, string> { ["TIT2"] = "Rated", ["TPE1"] = "Someone" }, popm);
        var tags = TagsOf(path);
        Assert.Equal(("Rated", "Someone", rating), (tags.Title, tags.Artist, tags.Rating));
    }

    [Fact]
    public void A_popm_of_zero_is_unrated()
    {
        using var folder = new TempFolder();
        var path = Make(folder, "unrated.mp3", [], ["-c:a", "libmp3lame", "-id3v2_version", "0"]);
        Id3Writer.PrependTag(path, new Dictionary<string, string> { ["TIT2"] = "Unrated" }, popm: 0);
        Assert.Null(TagsOf(path).Rating);
    }

    [Fact]
    public void An_ape_tag_before_the_id3v1_tag_is_read_first_and_not_counted_as_audio()
    {
        using var folder = new TempFolder();
        // ffmpeg writes the ID3v1 tag only beside an ID3v2 one: cut the ID3v2 tag off (its size is in its header).
        // No Xing/Info header, so the duration comes from the audio's bytes, which must not count the APE tag's.
        var both = File.ReadAllBytes(Make(folder, "both.mp3", FullMetadata, ["-c:a", "libmp3lame", "-b:a", "96k", "-write_xing", "0", "-write_id3v1", "1"]));
        var plain = both[(10 + ((both[6] << 21) | (both[7] << 14) | (both[8] << 7) | both[9]))..];
        folder.Write("plain.mp3", plain);
        var ape = ApeWriter.Tag(new Dictionary<string, string>
        {
            ["Title"] = "From foobar", ["Artist"] = "Ape Artist", ["Album Artist"] = "Various", ["Track"] = "4/10", ["Year"] = "2001",
            ["FMPS_RATING"] = "0.4",
        });
        // The APE tag goes between the audio and the ID3v1 tag, as foobar2000 puts it.
        var tagged = TagsAndDuration(folder.Write("ape.mp3", [.. plain[..^128], .. ape, .. plain[^128..]]));
        var untagged = TagsAndDuration(folder.File("plain.mp3"));
        Assert.Equal(("From foobar", "Ape Artist", "Various", 4, 2001, 0.4f), (tagged.Tags.Title, tagged.Tags.Artist, tagged.Tags.AlbumArtist,
            tagged.Tags.TrackNumber, tagged.Tags.Year, tagged.Tags.Rating));
        // ID3v1 still gives what the APE tag lacks.
        Assert.Equal(("Wesnoth ünicode", "Soundtrack"), (tagged.Tags.Album, tagged.Tags.Genre));
        Assert.Equal(untagged.DurationSeconds, tagged.DurationSeconds, 6);
    }

    private (AudioTags Tags, double DurationSeconds) TagsAndDuration(string path)
    {
        var outcome = _prober.Probe(path);
        Assert.Equal(ProbeMethod.Header, outcome.Method);
        return (outcome.Properties!.Tags!, outcome.Properties.DurationSeconds);
    }

    [Fact]
    public void An_m4a_item_whose_size_runs_past_its_list_ends_the_list_without_an_error()
    {
        using var folder = new TempFolder();
        var bytes = File.ReadAllBytes(Make(folder, "keys.m4a", FullMetadata, ["-c:a", "aac", "-f", "mp4", "-movflags", "use_metadata_tags"]));
        var ilst = bytes.AsSpan().IndexOf("ilst"u8) + 4;
        var second = ilst + System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(ilst));
        bytes.AsSpan(second, 4).Fill(0xFF);
        var tags = TagsOf(folder.Write("damaged.m4a", bytes));
        Assert.Equal(("Knalgan Theme", null), (tags.Title, tags.Artist));
    }

    [Fact]
    public void An_id3v2_2_tag_of_three_letter_frames_is_read()
    {
        using var folder = new TempFolder();
        var path = Make(folder, "v22.mp3", [], ["-c:a", "libmp3lame", "-id3v2_version", "0"]);
        Id3Writer.PrependTag(path, new Dictionary<string, string>
        {
            ["TT2"] = "Old Rip", ["TP1"] = "Someone", ["TAL"] = "An Album", ["TRK"] = "3/9", ["TYE"] = "1999", ["TCO"] = "(24)",
        }, popm: 196, Id3Layout.Version2_2);
        Assert.Equal(new AudioTags("Old Rip", "Someone", "An Album", TrackNumber: 3, Year: 1999, Genre: "Soundtrack", Rating: 0.8f), TagsOf(path));
    }

    [Fact]
    public void An_id3v2_4_tag_with_plain_frame_sizes_is_read_past_a_large_frame()
    {
        using var folder = new TempFolder();
        var path = Make(folder, "itunes.mp3", [], ["-c:a", "libmp3lame", "-id3v2_version", "0"]);
        // A frame over 127 bytes is where plain and synchsafe sizes differ: read synchsafe, the walk would land inside it.
        Id3Writer.PrependTag(path, new Dictionary<string, string>
        {
            ["PRIV"] = "com.apple.streaming.transportStreamTimestamp" + new string('x', 300), ["TIT2"] = "After the Art", ["TPE1"] = "Someone",
        }, popm: 255, Id3Layout.Version2_4WithPlainSizes);
        var tags = TagsOf(path);
        Assert.Equal(("After the Art", "Someone", 1.0f), (tags.Title, tags.Artist, tags.Rating));
    }

    [Fact]
    public void An_id3v2_4_tag_with_synchsafe_sizes_is_still_read_as_synchsafe_past_a_large_frame()
    {
        using var folder = new TempFolder();
        var longTitle = string.Join(" ", Enumerable.Repeat("Long Title", 30));
        var tags = TagsOf(Make(folder, "long.mp3", ["-metadata", $"title={longTitle}", "-metadata", "artist=Someone", "-metadata", "album=After"], ["-c:a", "libmp3lame"]));
        Assert.Equal((longTitle, "Someone", "After"), (tags.Title, tags.Artist, tags.Album));
    }

    [Theory]
    [InlineData("wma", new[] { "-c:a", "wmav2", "-f", "asf" })]
    [InlineData("wv", new[] { "-c:a", "wavpack", "-f", "wv" })]
    public void Formats_only_ffprobe_reads_still_give_their_tags(string suffix, string[] output)
    {
        using var folder = new TempFolder();
        var outcome = _prober.Probe(Make(folder, "tagged." + suffix, [.. FullMetadata, "-metadata", "FMPS_RATING=0.6"], output));
        Assert.Equal(ProbeMethod.Ffprobe, outcome.Method);
        var tags = outcome.Properties?.Tags ?? throw new Xunit.Sdk.XunitException($"no tags: {outcome}");
        Assert.Equal(("Knalgan Theme", "Doug Kaufman", "Wesnoth ünicode", 7, 2012, "Soundtrack"),
            (tags.Title, tags.Artist, tags.Album, tags.TrackNumber, tags.Year, tags.Genre));
        Assert.Equal(0.6f, tags.Rating);
    }

    [Fact]
    public void An_aiff_is_read_by_its_headers_with_its_id3_chunk_and_popm_rating()
    {
        // kid3 and mutagen put an "ID3 " chunk holding POPM in an AIFF; ffprobe reports its text frames but not POPM.
        // The ID3 chunk is what they update: ffmpeg's NAME chunk before it is stale.
        using var folder = new TempFolder();
        var aiff = File.ReadAllBytes(Make(folder, "plain.aiff", ["-metadata", "title=Stale Name"], ["-c:a", "pcm_s16be", "-f", "aiff", "-ar", "44100"]));
        Assert.True(aiff.AsSpan().IndexOf("NAME"u8) > 0);
        var tag = Id3Writer.Tag(new Dictionary<string, string> { ["TIT2"] = "Rated Aiff", ["TPE1"] = "Someone", ["TYER"] = "2005" }, popm: 196);
        byte[] chunk = [.. "ID3 "u8, (byte)(tag.Length >> 24), (byte)(tag.Length >> 16), (byte)(tag.Length >> 8), (byte)tag.Length, .. tag, .. new byte[tag.Length & 1]];
        var tagged = aiff.Concat(chunk).ToArray();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(tagged.AsSpan(4), (uint)(tagged.Length - 8));

        var outcome = _prober.Probe(folder.Write("rated.aiff", tagged));

        Assert.Equal(ProbeMethod.Header, outcome.Method);
        var properties = outcome.Properties!;
        Assert.Equal((3.0, 44100, 2, 1_411_200, "pcm_s16be", "aiff"), (Math.Round(properties.DurationSeconds, 3), properties.SampleRateHz,
            properties.Channels, properties.BitRateBps, properties.Codec, properties.Container));
        Assert.Equal(("Rated Aiff", "Someone", 2005, 0.8f), (properties.Tags!.Title, properties.Tags.Artist, properties.Tags.Year, properties.Tags.Rating));
    }

    [Fact]
    public void An_aiff_cut_short_is_timed_by_the_audio_it_holds()
    {
        using var folder = new TempFolder();
        var aiff = File.ReadAllBytes(Make(folder, "whole.aiff", [], ["-c:a", "pcm_s16be", "-f", "aiff", "-ar", "44100"]));
        var outcome = _prober.Probe(folder.Write("cut.aiff", aiff[..(aiff.Length - 44100 * 4)]));
        Assert.Equal(2.0, outcome.Properties!.DurationSeconds, 2);
    }

    [Fact]
    public void Several_artists_and_genres_in_one_id3v2_frame_are_all_kept()
    {
        using var folder = new TempFolder();
        var path = Make(folder, "multi.mp3", [], ["-c:a", "libmp3lame", "-id3v2_version", "0"]);
        Id3Writer.PrependTag(path, new Dictionary<string, string>
        {
            ["TIT2"] = "Duet", ["TPE1"] = "Ryan Reilly\0Guest Player", ["TCON"] = "(17)(18)", ["TDRL"] = "2016",
        }, popm: null);
        var tags = TagsOf(path);
        Assert.Equal(("Ryan Reilly; Guest Player", "Rock; Techno", 2016), (tags.Artist, tags.Genre, tags.Year));
    }

    [Fact]
    public void Repeated_vorbis_comments_join_their_artists_and_keep_the_first_title()
    {
        var builder = new SSIS.Batch.Engine.Probe.Tags.TagBuilder();
        SSIS.Batch.Engine.Probe.Tags.VorbisComments.Read(VorbisBlock("TITLE=First", "ARTIST=Ryan Reilly", "title=Second", "artist=Guest Player",
            "ARTIST=Ryan Reilly", "rating:quodlibet@lists.sacredchao.net=0.4", "ORIGINALDATE=1999", "DATE=2012"), builder);
        var tags = builder.Build();
        Assert.Equal(("First", "Ryan Reilly; Guest Player", 2012, 0.4f), (tags.Title, tags.Artist, tags.Year, tags.Rating));
    }

    private static byte[] VorbisBlock(params string[] fields)
    {
        var block = new List<byte>();
        void Int(int value) => block.AddRange(BitConverter.GetBytes(value));
        Int(6);
        block.AddRange("vendor"u8.ToArray());
        Int(fields.Length);
        foreach (var field in fields)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(field);
            Int(bytes.Length);
            block.AddRange(bytes);
        }
        return [.. block];
    }

    [Theory]
    [InlineData("17", "Rock")]
    [InlineData("(17)", "Rock")]
    [InlineData("(17)(18)", "Rock|Techno")]
    [InlineData("(17)Rock", "Rock|Rock")]
    [InlineData("(RX)", "Remix")]
    [InlineData("(CR)(31)", "Cover|Trance")]
    [InlineData("(131)", "Indie")]
    [InlineData("((Live) Rock", "(Live) Rock")]
    [InlineData("Synthwave", "Synthwave")]
    [InlineData("(999)", "(999)")]
    public void Id3_genre_references_name_their_genres(string text, string names) =>
        Assert.Equal(names.Split('|'), SSIS.Batch.Engine.Probe.Headers.Id3v1.GenreNames(text));

    [Fact]
    public void A_wma_year_from_windows_media_player_is_read()
    {
        using var folder = new TempFolder();
        var path = Make(folder, "dated.wma", ["-metadata", "title=Dated", "-metadata", "WM/Year=2007"], ["-c:a", "wmav2", "-f", "asf"]);
        Assert.Equal(2007, _prober.Probe(path).Properties?.Tags?.Year);
    }

    [Theory]
    [InlineData("1", 0.2f)]
    [InlineData("25", 0.4f)]
    [InlineData("50", 0.6f)]
    [InlineData("75", 0.8f)]
    [InlineData("99", 1.0f)]
    [InlineData("0", null)]
    public void A_wma_rating_from_windows_media_player_maps_to_stars(string sharedUserRating, float? rating)
    {
        using var folder = new TempFolder();
        var path = Make(folder, "rated.wma", ["-metadata", "title=Rated", "-metadata", $"WM/SharedUserRating={sharedUserRating}"], ["-c:a", "wmav2", "-f", "asf"]);
        Assert.Equal(rating, _prober.Probe(path).Properties?.Tags?.Rating);
    }

    [Theory]
    [InlineData("ogg", "FMPS_RATING=0.7", 0.7f)]
    [InlineData("opus", "FMPS_RATING=0.3", 0.3f)]
    [InlineData("flac", "FMPS_RATING=1.0", 1.0f)]
    [InlineData("v24.mp3", "FMPS_Rating=0.9", 0.9f)]
    [InlineData("keys.m4a", "FMPS_RATING=0.9", 0.9f)]
    [InlineData("ogg", "RATING=80", 0.8f)]
    [InlineData("flac", "RATING=4", 0.8f)]
    [InlineData("ogg", "RATING=0", null)]
    [InlineData("ogg", "FMPS_RATING=7", null)]
    public void Fmps_rating_and_rating_comments_are_read(string suffix, string metadata, float? rating)
    {
        using var folder = new TempFolder();
        var output = Containers.Single(c => (string)c[0] == suffix)[1] as string[];
        Assert.Equal(rating, TagsOf(Make(folder, "rated." + suffix, ["-metadata", metadata], output!)).Rating);
    }

    [Fact]
    public void An_mp4_rate_item_is_read_as_a_percentage()
    {
        // ffmpeg drops -metadata rate=..., so the item is put into the ilst of an ffmpeg-made M4A (moov after mdat,
        // so no chunk offset moves) and the sizes of the boxes around it grown by its length.
        using var folder = new TempFolder();
        var bytes = File.ReadAllBytes(Make(folder, "made.m4a", ["-metadata", "title=Rated"], ["-c:a", "aac", "-f", "mp4"])).ToList();
        byte[] item = [0, 0, 0, 26, .. "rate"u8, 0, 0, 0, 18, .. "data"u8, 0, 0, 0, 1, 0, 0, 0, 0, .. "80"u8];
        var ilst = bytes.ToArray().AsSpan().IndexOf("ilst"u8);
        Assert.True(ilst > bytes.ToArray().AsSpan().IndexOf("mdat"u8));
        foreach (var box in new[] { "moov"u8.ToArray(), "udta"u8.ToArray(), "meta"u8.ToArray(), "ilst"u8.ToArray() })
        {
            var type = bytes.ToArray().AsSpan().IndexOf(box);
            var size = (bytes[type - 4] << 24 | bytes[type - 3] << 16 | bytes[type - 2] << 8 | bytes[type - 1]) + item.Length;
            bytes[type - 4] = (byte)(size >> 24); bytes[type - 3] = (byte)(size >> 16); bytes[type - 2] = (byte)(size >> 8); bytes[type - 1] = (byte)size;
        }
        bytes.InsertRange(ilst + 4, item);
        var tags = TagsOf(folder.Write("rated.m4a", [.. bytes]));
        Assert.Equal(("Rated", 0.8f), (tags.Title, tags.Rating));
    }

    [Fact]
    public void Wesnoth_oggs_carry_their_vorbis_comments_through_the_probe()
    {
        var files = Directory.GetFiles(Repo.WesnothMusic, "*.ogg");
        var tagged = files.Select(f => TagsOf(f)).Count(t => t is { Title: not null, Artist: not null });
        // 40 of the 41 tracks are tagged with title and artist (FACTS.md); the reader must find every one of them.
        Assert.Equal(40, tagged);
    }
}
