"""Korean word lists: who can be an actor, what is a system, and the predicates (as
lemmas: every conjugation of a listed verb is one entry) the Korean rules look for."""


def _words(text):
    return frozenset(text.split())


# People, roles, teams and companies. A noun phrase is a person when its last word is
# one of these or ends with one of ROLE_SUFFIXES.
PERSON = _words(
    """
    담당자 작업자 운영자 관리자 개발자 기술자 결재자 승인자 당직자 책임자 사용자 대응자
    입사자 신입 직원 팀원 사원 엔지니어 리뷰어 매니저 리더 팀장 과장 부장 대리 차장 사장
    실장 센터장 본부장 인턴 외주 협력사 협력업체 업체 회사 통신사 운영사 제조사 은행
    정부 당국 부처 사람 누군가 누구 아무 온콜 당직 DBA SRE QA DevOps 경영진 임원 관리자들
    승인권자 작업자들 직원들 사람들 개발팀 운영팀 보안팀 제품팀 플랫폼팀 릴리스팀
    고객지원팀 지원팀 고객지원 우리 저희 제 저 나 내 그 그녀 당신 본인 자신 측 팀
    파트너 벤더 공급사 호스팅 업자 현장 기관
    """
)
ROLE_SUFFIXES = (
    "자",
    "팀",
    "원",
    "님",
    "씨",
    "업체",
    "부서",
    "본부",
    "측",
    "엔지니어",
    "매니저",
    "리뷰어",
)
# Ends in 자/원/사/장 but are things: checked before the suffixes.
NOT_PERSON = _words(
    """
    문자 숫자 변수 인자 상자 이중화 회원가입 자원 전원 원인 지원 복원 사원증 검사 조사
    회사채 이사 마감 시장 저장 확장 장애 장비 주장 연장 출장 현장 상장 긴장 공장 입장
    글자 지점장 도메인 서비스 감사 기사 의자 투자 원자 분자 전자 이자
    """
)
SYSTEM = _words(
    """
    설정 배포 변경 트래픽 디스크 캐시 서버 노드 네트워크 인증서 쿼리 마이그레이션 버그
    코드 파드 클러스터 장비 스크립트 알림 경보 로드밸런서 밸런서 스케줄러 파이프라인 잡
    모니터링 헬스체크 프록시 게이트웨이 인스턴스 데이터베이스 디비 복제 레플리카 큐 워커
    프로세스 시스템 서비스 카나리 롤아웃 검증 테스트 대시보드 런북 메모리 타임아웃 재시도
    백업 장치 절차 단계 프롬프트 가드 스토리지 볼륨 컨테이너 이미지 플래그 라이브러리
    의존성 업데이트 패치 요청 연결 인덱스 락 용량 한도 임계값 도구 콘솔 화면 로그 지표
    파서 검증기 스키마 린터 오케스트레이터 정책 클라이언트 브라우저 앱 작업 빌드
    컨슈머 수집기 봇 자동화 크론 경로 규칙 파일 모듈 확장 리전 존 전원 스위치 기사
    보도자료 기사문 보고서 문서 템플릿 체크리스트 가이드 양식 일정
    """
)
# Subject words that are people in any sentence ("아무도" = nobody).
PRONOUNS = _words("저 제 나 내 우리 저희 그 그녀 누구 누군가 아무 당신 본인 자신")

# --- predicates, as lemmas ------------------------------------------------------------
# A failure in the verb itself: blaming with a person (or nobody named) as the actor.
FAILURE = _words(
    """
    깜빡하다 잊다 잊어버리다 누락하다 빠뜨리다 빼먹다 놓치다 무시하다 간과하다 어기다
    위반하다 건너뛰다 우회하다 방치하다 망가뜨리다 헷갈리다 하드코딩하다 생략하다 착각하다
    오판하다 실수하다 내버려두다 외면하다 소홀하다 등한시하다 깨뜨리다 날리다 묵살하다
    """
)
# What a person is expected to do: blaming when not done.
DUTY = _words(
    """
    확인하다 테스트하다 검증하다 검토하다 따르다 지키다 응답하다 답하다 보고하다 공지하다
    알리다 에스컬레이션하다 갱신하다 교체하다 작성하다 읽다 조사하다 발견하다 알아차리다
    인지하다 점검하다 대응하다 돌리다 백업하다 기다리다 보다 검사하다 준수하다 요청하다
    문의하다 공유하다 전달하다 리뷰하다 살피다 챙기다 파악하다 준비하다 훈련하다 모니터링하다
    승인받다 반영하다 적용하다 패치하다 연락하다 호출하다 하다
    """
)
# Nouns that make a bare "하다" a duty ("에스컬레이션을 하지 않았다").
DUTY_NOUNS = _words(
    "확인 테스트 검증 검토 에스컬레이션 보고 공지 점검 백업 리뷰 대응 조치 갱신 교체 "
    "준비 훈련 모니터링 연락 용량 검사 조사 공유 승인"
)
# Judgement nouns: a finding whoever is named, unless denied.
CARELESS_NOUNS = _words(
    "부주의 안일 태만 소홀 경솔 무책임 방심 해이 불감증 허술 무모 미숙 부실 기강"
)
# Human-error nouns.
ERROR_NOUNS = _words("실수 과실 착오 오타 인재 오입력 오조작")
# Outcomes that make an action the cause of an incident.
BAD_OUTCOMES = _words(
    """
    장애 사고 중단 마비 다운 먹통 손실 유실 만료 폭주 지연 오류 에러 문제 피해
    """
)
