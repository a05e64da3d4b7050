using Nlps.Models.Estimation;
using Nlps.Provisioning.Profiles;
using Nlps.Provisioning.Tests.Support;

namespace Nlps.Provisioning.Tests.Profiles;

public sealed class ProfileReaderTests
{
    private const string Minimal = """
        customer: { id: acme, name: 에이크미 }
        admin: { username: acme-admin }
        models:
          - { id: chat, path: models/chat, maxContext: 4096 }
        """;

    [Theory]
    [InlineData("garam-bank")]
    [InlineData("seohae-customs")]
    public async Task The_example_profiles_are_valid(string customer)
    {
        CustomerProfile profile = await ProfileReader.ReadFileAsync(ExampleMedia.Profile(customer), CancellationToken.None);

        Assert.Equal(customer, profile.Customer.Id);
        Assert.Equal(2, profile.Plugins.Count);
        Assert.NotEmpty(profile.Data);
        Assert.All(profile.Models, m => Assert.Contains("chat", m.Roles));
    }

    [Fact]
    public void Defaults_fill_what_a_model_leaves_out()
    {
        ModelSpec model = Assert.Single(ProfileReader.Parse(Minimal, "p.yaml").Models);

        Assert.Equal(new ModelSpec("chat", "models/chat", QuantizationMode.Bf16, 4096, 1, false, "any", []), model with { Roles = [] });
        Assert.Equal("에이크미", ProfileReader.Parse(Minimal, "p.yaml").Customer.Name);
    }

    [Theory]
    [InlineData("maxContext: 4096", "maxContext: -1", "models[0].maxContext (line 4): must be between 1 and")]
    [InlineData("maxContext: 4096", "maxContext: 4096, quantization: q3", "models[0].quantization (line 4): 'q3' is not one of fp32, bf16")]
    [InlineData("path: models/chat", "path: ../etc", "models[0].path (line 4): '../etc' must be a relative path inside the media folder")]
    [InlineData("id: acme,", "id: Acme Bank,", "customer.id (line 1): 'Acme Bank' must be lower-case")]
    [InlineData("admin: { username: acme-admin }", "admin: { username: acme-admin, pasword: x }", "admin.pasword (line 2): is not a known field")]
    [InlineData("admin: { username: acme-admin }", "", "admin: is required")]
    [InlineData("maxContext: 4096", "maxContext: 4096, device: tpu", "models[0].device (line 4): 'tpu' must be gpu, cpu or any")]
    public void Bad_values_are_refused_naming_the_field(string find, string replace, string message)
    {
        var error = Assert.Throws<ProfileException>(() => ProfileReader.Parse(Minimal.Replace(find, replace, StringComparison.Ordinal), "p.yaml"));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("p.yaml: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plugins_need_a_trusted_key_and_ids_must_be_unique()
    {
        var noKey = Assert.Throws<ProfileException>(() => ProfileReader.Parse(Minimal + "\nplugins:\n  - package: plugins/a.nlpkg\n", "p.yaml"));
        var twice = Assert.Throws<ProfileException>(() => ProfileReader.Parse(Minimal + "\n  - { id: chat, path: models/other, maxContext: 10 }\n", "p.yaml"));

        Assert.Contains("trustedKeys: is required when plugins are listed", noKey.Message, StringComparison.Ordinal);
        Assert.Contains("models: 'chat' appears twice", twice.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Documents_need_a_knowledge_base()
    {
        var error = Assert.Throws<ProfileException>(() => ProfileReader.Parse(Minimal + "\ndata:\n  - { agent: nlps.chatbot, kind: documents, path: docs }\n", "p.yaml"));

        Assert.Contains("data[0].knowledgeBase (line 6): is required for documents", error.Message, StringComparison.Ordinal);
    }
}
