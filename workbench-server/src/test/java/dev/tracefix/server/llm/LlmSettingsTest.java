package dev.tracefix.server.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlmSettingsTest {
  @TempDir Path notebooks;

  @Test
  void nothingConfiguredMeansTheDeterministicAnalyst() {
    LlmSettings s = LlmSettings.load(notebooks, Map.of());
    assertFalse(s.configured());
    assertTrue(s.describe().contains("deterministic analyst"), s.describe());
  }

  @Test
  void theFileInTheNotebookFolderIsReadAndTheEnvironmentOverridesIt() throws Exception {
    Files.writeString(
        notebooks.resolve("llm.yaml"),
        "provider: ollama\nbase_url: http://127.0.0.1:11434/\nmodel: small\ntimeout: 5s\nblock: [private_key]\napi_key_env: MY_KEY\n");
    LlmSettings file = LlmSettings.load(notebooks, Map.of("MY_KEY", "k-123456"));
    assertEquals(LlmSettings.Provider.OLLAMA, file.provider());
    assertEquals("http://127.0.0.1:11434", file.baseUrl());
    assertEquals(Duration.ofSeconds(5), file.timeout());
    assertEquals(Set.of("PRIVATE_KEY"), file.blockTypes());
    LlmSettings env =
        LlmSettings.load(
            notebooks,
            Map.of(
                LlmSettings.ENV_PROVIDER,
                "openai",
                LlmSettings.ENV_MODEL,
                "big",
                LlmSettings.ENV_BASE_URL,
                "http://127.0.0.1:9/v1"));
    assertEquals(LlmSettings.Provider.OPENAI, env.provider());
    assertEquals("big", env.model());
    assertEquals("http://127.0.0.1:9/v1", env.baseUrl());
  }

  @Test
  void aKeyWrittenIntoTheSharedFolderIsRefusedAndAKeyFromTheEnvironmentIsNeverPrinted()
      throws Exception {
    Files.writeString(
        notebooks.resolve("llm.yaml"), "provider: openai\nmodel: m\napi_key: sk-abc\n");
    LlmException e = assertThrows(LlmException.class, () -> LlmSettings.load(notebooks, Map.of()));
    assertEquals("llm-config", e.errorKind());
    assertFalse(e.getMessage().contains("sk-abc"));
    Files.delete(notebooks.resolve("llm.yaml"));
    LlmSettings s =
        LlmSettings.load(
            notebooks,
            Map.of(
                LlmSettings.ENV_PROVIDER,
                "anthropic",
                LlmSettings.ENV_MODEL,
                "claude",
                LlmSettings.ENV_API_KEY,
                "sk-ant-secret-value-1234567890"));
    assertFalse(s.toString().contains("sk-ant"), s.toString());
    assertTrue(s.toString().contains("API key set (not shown)"), s.toString());
    assertEquals("https://api.anthropic.com/v1", s.baseUrl());
  }

  @Test
  void typosAndMissingModelsAreConfigurationErrors() throws Exception {
    Files.writeString(notebooks.resolve("llm.yaml"), "provider: openai\nmodle: m\n");
    assertTrue(
        assertThrows(LlmException.class, () -> LlmSettings.load(notebooks, Map.of()))
            .getMessage()
            .contains("unknown key(s) [modle]"));
    Files.writeString(notebooks.resolve("llm.yaml"), "provider: openai\n");
    assertTrue(
        assertThrows(LlmException.class, () -> LlmSettings.load(notebooks, Map.of()))
            .getMessage()
            .contains("needs a model"));
    assertTrue(
        assertThrows(
                LlmException.class,
                () -> LlmSettings.load(notebooks, Map.of(LlmSettings.ENV_PROVIDER, "gpt")))
            .getMessage()
            .contains("not one of openai, ollama, anthropic, none"));
  }
}
